namespace Billing.Application.Common.Messaging;

public enum SyncTarget
{
    IdentityDirectory = 0,
    UsageLedger = 1,
}
