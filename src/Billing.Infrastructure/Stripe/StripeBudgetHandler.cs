namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Every request to Stripe (Stripe.net's own retries included) waits for a token of the budget first; background
/// work's client leaves users their reserve.
/// </summary>
internal sealed class StripeBudgetHandler(StripeRequestBudget budget, bool background) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await budget.AcquireAsync(background, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
