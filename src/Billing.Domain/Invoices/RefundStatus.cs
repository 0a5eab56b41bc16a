namespace Billing.Domain.Invoices;

/// <summary>Where a refund stands: on its way (pending, or waiting on the customer), arrived, or failed or canceled.</summary>
public enum RefundStatus
{
    Pending,
    RequiresAction,
    Succeeded,
    Failed,
    Canceled,
}
