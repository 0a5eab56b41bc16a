namespace Billing.Application.Common.Messaging;

public enum SyncStatus
{
    Pending = 0,
    Delivered = 1,
    Parked = 2,
    Superseded = 3,
}
