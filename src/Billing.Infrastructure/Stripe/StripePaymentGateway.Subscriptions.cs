using Billing.Application.Common.Limits;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging;
using Stripe;
using Stripe.Checkout;

namespace Billing.Infrastructure.Stripe;

/// <summary>The subscription calls of the Stripe adapter.</summary>
internal sealed partial class StripePaymentGateway
{
    public Task<Result<string?>> RefundLatestPaymentAsync(string subscriptionId, string reason, string idempotencyKey, CancellationToken cancellationToken, decimal portion = 1m) =>
        CallAsync<string?>("refund latest payment", async client =>
        {
            var subscription = await new SubscriptionService(client).GetAsync(subscriptionId, cancellationToken: cancellationToken);
            if (subscription.LatestInvoiceId is null)
            {
                return null;
            }

            var paid = await PaidPaymentOfAsync(client, subscription.LatestInvoiceId, cancellationToken);
            var amount = paid is null ? 0 : (long)Math.Round((paid.AmountPaid ?? 0) * Math.Clamp(portion, 0m, 1m), MidpointRounding.ToZero);
            if (paid is null || amount <= 0)
            {
                return null;
            }

            var refund = await new RefundService(client).CreateAsync(
                new RefundCreateOptions
                {
                    PaymentIntent = paid.Payment.PaymentIntentId,
                    Amount = portion >= 1m ? null : amount,
                    Reason = reason,
                    Metadata = new Dictionary<string, string> { ["subscription_id"] = subscriptionId, ["invoice_id"] = subscription.LatestInvoiceId },
                },
                Keyed(idempotencyKey),
                cancellationToken);
            return refund.Id;
        });

    public Task<Result<GatewaySubscription>> GetSubscriptionAsync(string subscriptionId, CancellationToken cancellationToken) =>
        CallAsync("get subscription", async client =>
            StripeMapper.ToGatewaySubscription(await new SubscriptionService(client).GetAsync(
                subscriptionId,
                new SubscriptionGetOptions { Expand = SubscriptionExpansions },
                cancellationToken: cancellationToken)));

    public Task<Result<IReadOnlyList<GatewaySubscription>>> ListSubscriptionsAsync(string? customerId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<GatewaySubscription>>("list subscriptions", async client =>
        {
            // Without a status Stripe leaves out canceled subscriptions, and those are drift too.
            var all = new List<GatewaySubscription>();
            await foreach (var subscription in new SubscriptionService(client).ListAutoPagingAsync(new SubscriptionListOptions { Customer = customerId, Status = "all", Limit = 100 }, cancellationToken: cancellationToken))
            {
                if (subscription.Items?.Data?.Count > 0)
                {
                    all.Add(StripeMapper.ToGatewaySubscription(subscription));
                }
            }

            return all;
        });

    public Task<Result<GatewaySubscription>> CancelSubscriptionAsync(string subscriptionId, bool atPeriodEnd, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("cancel subscription", async client =>
        {
            var service = new SubscriptionService(client);
            var requestOptions = Keyed(idempotencyKey);
            var subscription = atPeriodEnd
                ? await service.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { CancelAtPeriodEnd = true, Expand = SubscriptionExpansions }, requestOptions, cancellationToken)
                : await service.CancelAsync(subscriptionId, new SubscriptionCancelOptions { Expand = SubscriptionExpansions }, requestOptions, cancellationToken);
            return await CurrentAsync(client, subscription, cancellationToken);
        });

    public Task<Result<GatewaySubscription>> KeepSubscriptionAsync(string subscriptionId, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("keep subscription", async client =>
            await CurrentAsync(client, await new SubscriptionService(client).UpdateAsync(
                subscriptionId,
                new SubscriptionUpdateOptions
                {
                    CancelAtPeriodEnd = false,
                    Metadata = new Dictionary<string, string> { [SubscriptionChangeRequest.MetadataKey] = idempotencyKey },
                    Expand = SubscriptionExpansions,
                },
                Keyed(idempotencyKey),
                cancellationToken), cancellationToken));

    public Task<Result<GatewaySubscription>> ResumePausedSubscriptionAsync(string subscriptionId, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("resume subscription", async client =>
            await CurrentAsync(client, await new SubscriptionService(client).ResumeAsync(
                subscriptionId,
                new SubscriptionResumeOptions { ProrationBehavior = "create_prorations", Expand = SubscriptionExpansions },
                Keyed(idempotencyKey),
                cancellationToken), cancellationToken));

    public Task<Result<GatewaySubscription>> ExtendTrialAsync(string subscriptionId, DateTimeOffset trialEnd, string idempotencyKey, string changeRequest, CancellationToken cancellationToken) =>
        CallAsync("extend trial", async client =>
            await CurrentAsync(client, await new SubscriptionService(client).UpdateAsync(
                subscriptionId,
                new SubscriptionUpdateOptions
                {
                    TrialEnd = trialEnd.UtcDateTime,
                    ProrationBehavior = "none",
                    Metadata = new Dictionary<string, string> { [SubscriptionChangeRequest.MetadataKey] = changeRequest },
                    Expand = SubscriptionExpansions,
                },
                Keyed(idempotencyKey),
                cancellationToken), cancellationToken));

    public Task<Result<GatewaySubscription>> ChangeSubscriptionPriceAsync(SubscriptionPriceChange change, CancellationToken cancellationToken) =>
        CallAsync("change subscription price", async client =>
            await CurrentAsync(client, await new SubscriptionService(client).UpdateAsync(
                change.SubscriptionId,
                new SubscriptionUpdateOptions
                {
                    Items = [new SubscriptionItemOptions { Id = change.ItemId, Price = change.NewPriceId }],
                    ProrationBehavior = change.ProrationBehavior,
                    Metadata = new Dictionary<string, string>(change.Metadata),
                    CancelAtPeriodEnd = change.CancelAtPeriodEnd,

                    // When the change is charged at once, a declined card refuses the change (402) instead of
                    // leaving the user on the new tier with an unpaid invoice.
                    PaymentBehavior = change.ProrationBehavior == "always_invoice" ? "error_if_incomplete" : null,
                    AutomaticTax = change.AutomaticTax ? new SubscriptionAutomaticTaxOptions { Enabled = true } : null,
                    Expand = SubscriptionExpansions,
                },
                Keyed(change.IdempotencyKey),
                cancellationToken), cancellationToken));

    public Task<Result<GatewaySubscription>> ChangeSeatsAsync(SeatChange change, CancellationToken cancellationToken) =>
        CallAsync("change seats", async client =>
            await CurrentAsync(client, await new SubscriptionService(client).UpdateAsync(
                change.SubscriptionId,
                new SubscriptionUpdateOptions
                {
                    Items = [new SubscriptionItemOptions { Id = change.ItemId, Quantity = change.Seats }],
                    ProrationBehavior = change.ProrationBehavior,
                    Metadata = new Dictionary<string, string> { [SubscriptionChangeRequest.MetadataKey] = change.IdempotencyKey },
                    Expand = SubscriptionExpansions,
                },
                Keyed(change.IdempotencyKey),
                cancellationToken), cancellationToken));

    public Task<Result<ChangePreview>> PreviewSubscriptionPriceChangeAsync(SubscriptionPriceChange change, string customerId, CancellationToken cancellationToken) =>
        CallAsync("preview subscription change", async client =>
            StripeMapper.ToChangePreview(await new InvoiceService(client).CreatePreviewAsync(
                new InvoiceCreatePreviewOptions
                {
                    Customer = customerId,
                    Subscription = change.SubscriptionId,
                    SubscriptionDetails = new InvoiceSubscriptionDetailsOptions
                    {
                        Items = [new InvoiceSubscriptionDetailsItemOptions { Id = change.ItemId, Price = change.NewPriceId }],
                        ProrationBehavior = change.ProrationBehavior,
                    },
                    AutomaticTax = change.AutomaticTax ? new InvoiceAutomaticTaxOptions { Enabled = true } : null,
                },
                cancellationToken: cancellationToken)));

    public Task<Result<GatewaySubscription>> ApplyPromotionCodeAsync(string subscriptionId, string promotionCodeId, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("apply promotion code", async client =>
            await CurrentAsync(client, await new SubscriptionService(client).UpdateAsync(
                subscriptionId,
                new SubscriptionUpdateOptions { Discounts = [new SubscriptionDiscountOptions { PromotionCode = promotionCodeId }], Expand = SubscriptionExpansions },
                Keyed(idempotencyKey),
                cancellationToken), cancellationToken));

    /// <summary>
    /// Stripe's answer to a change of a subscription, or, when Stripe replayed the answer it gave the first request
    /// with this idempotency key (a command run again after a concurrent change sends the same key), the
    /// subscription read now: a replay is Stripe's state when the first request ran, and may be older than what the
    /// account already reflects.
    /// </summary>
    private static async Task<GatewaySubscription> CurrentAsync(IStripeClient client, Subscription answered, CancellationToken cancellationToken) =>
        answered.StripeResponse?.Headers is { } headers && headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Contains("true", StringComparer.OrdinalIgnoreCase)
            ? StripeMapper.ToGatewaySubscription(await new SubscriptionService(client).GetAsync(answered.Id, new SubscriptionGetOptions { Expand = SubscriptionExpansions }, cancellationToken: cancellationToken))
            : StripeMapper.ToGatewaySubscription(answered);
}
