using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Stripe.BillingPortal;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// The customer portal configuration this service manages (metadata <c>managed_by=billing-service</c>): Stripe's
/// shapes on one side, <see cref="PortalConfiguration"/> on the other.
/// </summary>
internal sealed partial class StripePaymentGateway
{
    public Task<Result<PortalConfiguration?>> FindManagedAsync(CancellationToken cancellationToken) =>
        CallAsync<PortalConfiguration?>("find portal configuration", async client =>
        {
            await foreach (var configuration in new ConfigurationService(client).ListAutoPagingAsync(new ConfigurationListOptions { Active = true, Limit = 100 }, cancellationToken: cancellationToken))
            {
                if (BillingMetadata.MadeHere(configuration.Metadata))
                {
                    return ToPortalConfiguration(configuration);
                }
            }

            return null;
        });

    public Task<Result<PortalConfiguration>> CreateAsync(PortalConfiguration configuration, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("create portal configuration", async client =>
            ToPortalConfiguration(await new ConfigurationService(client).CreateAsync(
                new ConfigurationCreateOptions
                {
                    Name = "Billing service",
                    BusinessProfile = BusinessProfile(configuration),
                    DefaultReturnUrl = configuration.ReturnUrl,
                    Features = Features(configuration),
                    Metadata = new Dictionary<string, string> { [BillingMetadata.ManagedBy] = BillingMetadata.ThisService },
                },
                Keyed(idempotencyKey),
                cancellationToken)));

    public Task<Result<PortalConfiguration>> UpdateAsync(PortalConfiguration configuration, CancellationToken cancellationToken) =>
        CallAsync("update portal configuration", async client =>
            ToPortalConfiguration(await new ConfigurationService(client).UpdateAsync(
                configuration.Id,
                new ConfigurationUpdateOptions
                {
                    BusinessProfile = BusinessProfile(configuration),
                    DefaultReturnUrl = configuration.ReturnUrl,
                    Features = Features(configuration),
                },
                cancellationToken: cancellationToken)));

    private static ConfigurationBusinessProfileOptions BusinessProfile(PortalConfiguration configuration) => new()
    {
        Headline = configuration.Headline,
        PrivacyPolicyUrl = configuration.PrivacyPolicyUrl,
        TermsOfServiceUrl = configuration.TermsOfServiceUrl,
    };

    private static ConfigurationFeaturesOptions Features(PortalConfiguration configuration) => new()
    {
        CustomerUpdate = new ConfigurationFeaturesCustomerUpdateOptions { Enabled = true, AllowedUpdates = ["address", "tax_id"] },
        InvoiceHistory = new ConfigurationFeaturesInvoiceHistoryOptions { Enabled = true },
        PaymentMethodUpdate = new ConfigurationFeaturesPaymentMethodUpdateOptions { Enabled = true },
        SubscriptionCancel = new ConfigurationFeaturesSubscriptionCancelOptions
        {
            Enabled = true,
            Mode = "at_period_end",
            CancellationReason = new ConfigurationFeaturesSubscriptionCancelCancellationReasonOptions { Enabled = true, Options = configuration.CancellationReasons.ToList() },
        },
        SubscriptionUpdate = new ConfigurationFeaturesSubscriptionUpdateOptions
        {
            Enabled = true,
            DefaultAllowedUpdates = ["price"],
            ProrationBehavior = configuration.ProrationBehavior,
            Products = configuration.Products.Select(p => new ConfigurationFeaturesSubscriptionUpdateProductOptions { Product = p.ProductId, Prices = p.PriceIds.ToList() }).ToList(),
            ScheduleAtPeriodEnd = new ConfigurationFeaturesSubscriptionUpdateScheduleAtPeriodEndOptions
            {
                Conditions = configuration.DowngradesAtPeriodEnd
                    ? [new() { Type = "decreasing_item_amount" }, new() { Type = "shortening_interval" }]
                    : [],
            },
        },
    };

    private static PortalConfiguration ToPortalConfiguration(global::Stripe.BillingPortal.Configuration configuration)
    {
        var update = configuration.Features?.SubscriptionUpdate;
        return new PortalConfiguration(
            configuration.Id,
            configuration.BusinessProfile?.Headline,
            configuration.BusinessProfile?.PrivacyPolicyUrl,
            configuration.BusinessProfile?.TermsOfServiceUrl,
            configuration.DefaultReturnUrl ?? string.Empty,
            update?.Products?.Select(p => new PortalProduct(p.Product, p.Prices ?? [])).ToList() ?? [],
            update?.ProrationBehavior ?? "none",
            update?.ScheduleAtPeriodEnd?.Conditions?.Count > 0,
            configuration.Features?.SubscriptionCancel?.CancellationReason?.Options ?? []);
    }
}
