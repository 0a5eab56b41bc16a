namespace Billing.Application.Common.Audit;

/// <summary>A command an administrator gives: recorded in the audit trail with who gave it, on what, and how it ended.</summary>
public interface IAdminAction
{
    /// <summary>The administrator's user id (the token's subject).</summary>
    string AdminId { get; }

    /// <summary>What the action is about: an account, an invoice, an event, a message.</summary>
    string AuditTarget { get; }
}
