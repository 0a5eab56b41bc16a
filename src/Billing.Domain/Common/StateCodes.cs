using Billing.Domain.Disputes;
using Billing.Domain.Invoices;

namespace Billing.Domain.Common;

/// <summary>Dispute and refund states as the API and the store spell them (snake case of their names).</summary>
public static class StateCodes
{
    public static string Code(this DisputeStatus status) => SnakeCase.Of(status.ToString());

    public static string Code(this RefundStatus status) => SnakeCase.Of(status.ToString());

    public static DisputeStatus ParseDispute(string code) =>
        SnakeCase.Parse<DisputeStatus>(code) ?? throw new FormatException($"'{code}' is no dispute status.");

    public static RefundStatus ParseRefund(string code) =>
        SnakeCase.Parse<RefundStatus>(code) ?? throw new FormatException($"'{code}' is no refund status.");
}
