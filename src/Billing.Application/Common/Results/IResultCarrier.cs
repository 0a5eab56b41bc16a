namespace Billing.Application.Common.Results;

/// <summary>Marks results so pipeline behaviours can tell a failed outcome without knowing its value type.</summary>
public interface IResultCarrier
{
    bool Succeeded { get; }

    /// <summary>The failure's code (<c>refund_exceeds_payment</c>), or null on success.</summary>
    string? FailureCode { get; }
}
