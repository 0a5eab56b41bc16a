namespace Billing.Application.Common;

/// <summary>Refunds the service makes on its own (section <c>Billing:Refunds</c>).</summary>
public sealed class RefundSettings
{
    /// <summary>When a user cancels now, refund the unused part of the period they paid for.</summary>
    public bool ProrateOnCancelNow { get; set; }
}
