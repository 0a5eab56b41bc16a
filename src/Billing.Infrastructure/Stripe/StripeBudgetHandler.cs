using Billing.Infrastructure.Messaging;

namespace Billing.Infrastructure.Stripe;

/// <summary>Every request to Stripe (Stripe.net's own retries included) waits for a token of the budget first.</summary>
internal sealed class StripeBudgetHandler(StripeRequestBudget budget) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await budget.AcquireAsync(BackgroundWork.IsCurrent, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
