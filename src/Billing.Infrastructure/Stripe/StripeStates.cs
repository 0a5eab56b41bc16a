using Billing.Domain.Common;
using Billing.Domain.Disputes;
using Billing.Domain.Invoices;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Stripe's dispute and refund statuses read into the domain's. Stripe spells each as the snake case of the
/// domain's name (<c>needs_response</c>, <c>requires_action</c>); one it adds later is none of them.
/// </summary>
internal static class StripeStates
{
    public static DisputeStatus? Dispute(string? status) => SnakeCase.Parse<DisputeStatus>(status);

    /// <summary>A refund whose status is unknown is taken as pending: on its way, not yet arrived.</summary>
    public static RefundStatus Refund(string? status) => SnakeCase.Parse<RefundStatus>(status) ?? RefundStatus.Pending;
}
