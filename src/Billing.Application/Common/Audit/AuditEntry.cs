namespace Billing.Application.Common.Audit;

/// <summary>One administrator action: who, what (<see cref="Action"/> on <see cref="Target"/>), when, and the outcome (<c>succeeded</c> or the failure's code).</summary>
public sealed record AuditEntry(long Id, DateTimeOffset At, string AdminId, string Action, string Target, string Outcome);
