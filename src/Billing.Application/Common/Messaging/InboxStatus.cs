namespace Billing.Application.Common.Messaging;

public enum InboxStatus
{
    Pending = 0,
    Processed = 1,
    Ignored = 2,
    Failed = 3,
}
