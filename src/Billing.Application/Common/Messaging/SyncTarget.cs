namespace Billing.Application.Common.Messaging;

public enum SyncTarget
{
    IdentityDirectory = 0,
    UsageLedger = 1,

    /// <summary>E-mail to the user; unlike the others, each message is its own notice and none supersedes another.</summary>
    Notification = 2,
}
