using Billing.Application.Common.Limits;
using Billing.Application.Common.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Plans;
using Microsoft.Extensions.Logging;
using Stripe;
using Stripe.Checkout;

namespace Billing.Infrastructure.Stripe;

/// <summary>The payment port on Stripe.net. SDK types stop here: every answer is mapped to the port's records.</summary>
internal sealed class StripePaymentGateway(StripeClientProvider clients, StripeRetryPolicy retries, StripeCallCounter counter, Billing.Application.Common.BillingMetrics metrics, ILogger<StripePaymentGateway> logger) : IPaymentGateway
{
    public Task<Result<string>> CreateCustomerAsync(NewCustomer customer, CancellationToken cancellationToken) =>
        CallAsync("create customer", async client =>
        {
            var created = await new CustomerService(client).CreateAsync(
                new CustomerCreateOptions
                {
                    Email = string.IsNullOrEmpty(customer.Email) ? null : customer.Email,
                    Metadata = new Dictionary<string, string> { ["keycloak_user_id"] = customer.UserId },
                },
                Keyed(customer.IdempotencyKey),
                cancellationToken);
            return created.Id;
        });

    public Task<Result<CheckoutSessionCreated>> CreateCheckoutSessionAsync(NewCheckoutSession session, CancellationToken cancellationToken) =>
        CallAsync("create checkout session", async client =>
        {
            var metadata = new Dictionary<string, string>
            {
                ["keycloak_user_id"] = session.UserId,
                ["tier"] = session.Tier.Code(),
                ["billing_cycle"] = session.Cycle.Code(),
            };
            var created = await new SessionService(client).CreateAsync(
                new SessionCreateOptions
                {
                    Mode = "subscription",
                    Customer = session.CustomerId,
                    ClientReferenceId = session.UserId,
                    LineItems = [new SessionLineItemOptions { Price = session.PriceId, Quantity = 1 }],
                    SuccessUrl = session.SuccessUrl,
                    CancelUrl = session.CancelUrl,
                    ExpiresAt = session.ExpiresAt.UtcDateTime,
                    Metadata = metadata,

                    // Stripe takes a code checked here, or a field on its page for the user to type one, not both.
                    Discounts = session.PromotionCodeId is null ? null : [new SessionDiscountOptions { PromotionCode = session.PromotionCodeId }],
                    AllowPromotionCodes = session.PromotionCodeId is null && session.AllowPromotionCodes ? true : null,
                    SubscriptionData = new SessionSubscriptionDataOptions
                    {
                        Metadata = new Dictionary<string, string>(metadata),
                        TrialPeriodDays = session.TrialDays,

                        // With no card collected, Stripe cancels the subscription when the trial ends without one.
                        TrialSettings = session.TrialDays is not null && session.TrialWithoutCard
                            ? new SessionSubscriptionDataTrialSettingsOptions { EndBehavior = new SessionSubscriptionDataTrialSettingsEndBehaviorOptions { MissingPaymentMethod = "cancel" } }
                            : null,
                    },
                    PaymentMethodCollection = session.TrialDays is not null && session.TrialWithoutCard ? "if_required" : null,
                    Currency = session.Currency,

                    // Stripe Tax needs the customer's address; Checkout asks for it and writes it (and a business
                    // name for a tax id) back to the existing customer, which Stripe refuses to do unless told to.
                    AutomaticTax = session.AutomaticTax ? new SessionAutomaticTaxOptions { Enabled = true } : null,
                    BillingAddressCollection = session.AutomaticTax ? "required" : null,
                    TaxIdCollection = session.AutomaticTax ? new SessionTaxIdCollectionOptions { Enabled = true } : null,
                    CustomerUpdate = session.AutomaticTax ? new SessionCustomerUpdateOptions { Address = "auto", Name = "auto" } : null,
                },
                Keyed(session.IdempotencyKey),
                cancellationToken);
            return new CheckoutSessionCreated(created.Id, created.Url, new DateTimeOffset(DateTime.SpecifyKind(created.ExpiresAt, DateTimeKind.Utc)));
        });

    public Task<Result<CheckoutSessionCreated>> CreateSetupSessionAsync(NewSetupSession session, CancellationToken cancellationToken) =>
        CallAsync("create setup session", async client =>
        {
            var created = await new SessionService(client).CreateAsync(
                new SessionCreateOptions
                {
                    Mode = "setup",
                    Customer = session.CustomerId,
                    Currency = session.Currency,
                    ClientReferenceId = session.UserId,
                    SuccessUrl = session.SuccessUrl,
                    CancelUrl = session.CancelUrl,
                    ExpiresAt = session.ExpiresAt.UtcDateTime,
                    Metadata = new Dictionary<string, string> { ["keycloak_user_id"] = session.UserId, ["purpose"] = "payment_method_update" },
                    SetupIntentData = new SessionSetupIntentDataOptions { Metadata = new Dictionary<string, string> { ["keycloak_user_id"] = session.UserId } },
                },
                Keyed(session.IdempotencyKey),
                cancellationToken);
            return new CheckoutSessionCreated(created.Id, created.Url, new DateTimeOffset(DateTime.SpecifyKind(created.ExpiresAt, DateTimeKind.Utc)));
        });

    public Task<Result<string>> AdoptSetupPaymentMethodAsync(string setupIntentId, string customerId, string? subscriptionId, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("adopt payment method", async client =>
        {
            var setup = await new SetupIntentService(client).GetAsync(setupIntentId, cancellationToken: cancellationToken);
            if (setup.Status != "succeeded" || setup.PaymentMethodId is null || setup.CustomerId != customerId)
            {
                throw new InvalidOperationException($"Setup intent {setupIntentId} did not save a card for customer {customerId} (status {setup.Status}).");
            }

            await new CustomerService(client).UpdateAsync(
                customerId,
                new CustomerUpdateOptions { InvoiceSettings = new CustomerInvoiceSettingsOptions { DefaultPaymentMethod = setup.PaymentMethodId } },
                Keyed($"{idempotencyKey}-customer"),
                cancellationToken);
            if (subscriptionId is not null)
            {
                await new SubscriptionService(client).UpdateAsync(
                    subscriptionId,
                    new SubscriptionUpdateOptions { DefaultPaymentMethod = setup.PaymentMethodId },
                    Keyed($"{idempotencyKey}-subscription"),
                    cancellationToken);
            }

            return setup.PaymentMethodId;
        });

    public Task<Result<GatewayInvoice>> PayInvoiceAsync(string invoiceId, string paymentMethodId, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("pay invoice", async client =>
            StripeMapper.ToGatewayInvoice(await new InvoiceService(client).PayAsync(
                invoiceId,
                new InvoicePayOptions { PaymentMethod = paymentMethodId, OffSession = true },
                Keyed(idempotencyKey),
                cancellationToken)));

    public Task<Result<string>> CreatePortalSessionAsync(string customerId, string returnUrl, CancellationToken cancellationToken) =>
        CallAsync("create portal session", async client =>
        {
            var created = await new global::Stripe.BillingPortal.SessionService(client).CreateAsync(
                new global::Stripe.BillingPortal.SessionCreateOptions { Customer = customerId, ReturnUrl = returnUrl },
                cancellationToken: cancellationToken);
            return created.Url;
        });

    public Task<Result<IReadOnlyList<SavedPaymentMethod>>> ListPaymentMethodsAsync(string customerId, string? subscriptionId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<SavedPaymentMethod>>("list payment methods", async client =>
        {
            var customer = await new CustomerService(client).GetAsync(customerId, cancellationToken: cancellationToken);
            var methods = await new CustomerPaymentMethodService(client).ListAsync(
                customerId,
                new CustomerPaymentMethodListOptions { Type = "card", Limit = 100 },
                cancellationToken: cancellationToken);

            // Stripe charges a subscription's own default card before the customer's.
            var subscriptionDefault = subscriptionId is null
                ? null
                : (await new SubscriptionService(client).GetAsync(subscriptionId, cancellationToken: cancellationToken)).DefaultPaymentMethodId;
            var defaultId = subscriptionDefault ?? customer.InvoiceSettings?.DefaultPaymentMethodId;
            return methods.Data.Select(m => StripeMapper.ToSavedPaymentMethod(m, defaultId)).ToList();
        });

    public Task<Result<bool>> ExpireCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        CallAsync("expire checkout session", async client =>
        {
            var service = new SessionService(client);
            var session = await service.GetAsync(sessionId, cancellationToken: cancellationToken);
            if (session.Status != "open")
            {
                return false;
            }

            var expired = await service.ExpireAsync(sessionId, cancellationToken: cancellationToken);
            return expired.Status == "expired";
        });

    public Task<Result<IReadOnlyList<Billing.Domain.Invoices.InvoiceFacts>>> ListInvoicesAsync(string customerId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<Billing.Domain.Invoices.InvoiceFacts>>("list invoices", async client =>
        {
            var all = new List<Billing.Domain.Invoices.InvoiceFacts>();
            var service = new InvoiceService(client);
            string? after = null;

            // Three pages reach back far enough for a first fill; webhooks keep the book from then on.
            for (var page = 0; page < 3; page++)
            {
                var listed = await service.ListAsync(new InvoiceListOptions { Customer = customerId, Limit = 100, StartingAfter = after }, cancellationToken: cancellationToken);
                all.AddRange(listed.Data.Where(i => i.Status != "draft").Select(StripeMapper.ToInvoiceFacts));
                if (!listed.HasMore || listed.Data.Count == 0)
                {
                    break;
                }

                after = listed.Data[^1].Id;
            }

            return all;
        });

    public Task<Result<Billing.Domain.Invoices.InvoiceFacts>> GetInvoiceAsync(string invoiceId, CancellationToken cancellationToken) =>
        CallAsync("get invoice", async client => StripeMapper.ToInvoiceFacts(await new InvoiceService(client).GetAsync(invoiceId, cancellationToken: cancellationToken)));

    public Task<Result<string?>> FindInvoiceOfPaymentAsync(string paymentIntentId, CancellationToken cancellationToken) =>
        CallAsync<string?>("find invoice of payment", async client =>
            (await new InvoicePaymentService(client).ListAsync(
                new InvoicePaymentListOptions { Payment = new InvoicePaymentPaymentOptions { Type = "payment_intent", PaymentIntent = paymentIntentId }, Limit = 1 },
                cancellationToken: cancellationToken)).Data.FirstOrDefault()?.InvoiceId);

    public Task<Result<GatewayRefund>> RefundInvoiceAsync(string invoiceId, long? amount, string reason, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("refund invoice", async client =>
        {
            var paid = await PaidPaymentOfAsync(client, invoiceId, cancellationToken)
                ?? throw new InvalidOperationException($"Invoice {invoiceId} is paid but Stripe lists no paid payment of it.");
            return StripeMapper.ToGatewayRefund(await new RefundService(client).CreateAsync(
                new RefundCreateOptions
                {
                    PaymentIntent = paid.Payment.PaymentIntentId,
                    Amount = amount,
                    Reason = reason,
                    Metadata = new Dictionary<string, string> { ["invoice_id"] = invoiceId },
                },
                Keyed(idempotencyKey),
                cancellationToken));
        });

    public Task<Result<IReadOnlyList<GatewayRefund>>> ListRefundsAsync(string paymentIntentId, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<GatewayRefund>>("list refunds", async client =>
            (await new RefundService(client).ListAsync(new RefundListOptions { PaymentIntent = paymentIntentId, Limit = 100 }, cancellationToken: cancellationToken))
                .Data.Select(StripeMapper.ToGatewayRefund).ToList());

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

    public Task<Result<IReadOnlySet<string>>> ListCustomerIdsAsync(CancellationToken cancellationToken) =>
        CallAsync<IReadOnlySet<string>>("list customers", async client =>
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var customer in new CustomerService(client).ListAutoPagingAsync(new CustomerListOptions { Limit = 100 }, cancellationToken: cancellationToken))
            {
                ids.Add(customer.Id);
            }

            return ids;
        });

    public async Task<Result<bool>> IsCustomerDeletedAsync(string customerId, CancellationToken cancellationToken)
    {
        var found = await CallAsync("get customer", async client => await new CustomerService(client).GetAsync(customerId, cancellationToken: cancellationToken));
        return found.IsSuccess ? found.Value.Deleted == true
            : found.Error!.Code == "stripe_resource_missing" ? true
            : found.Error;
    }

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

    public Task<Result<GatewaySubscription>> ExtendTrialAsync(string subscriptionId, DateTimeOffset trialEnd, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("extend trial", async client =>
            await CurrentAsync(client, await new SubscriptionService(client).UpdateAsync(
                subscriptionId,
                new SubscriptionUpdateOptions { TrialEnd = trialEnd.UtcDateTime, ProrationBehavior = "none", Expand = SubscriptionExpansions },
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

    public Task<Result<IReadOnlyList<GatewayPrice>>> FindPricesByLookupKeysAsync(IReadOnlyCollection<string> lookupKeys, CancellationToken cancellationToken) =>
        CallAsync<IReadOnlyList<GatewayPrice>>("find prices", async client =>
        {
            var prices = await new PriceService(client).ListAsync(
                new PriceListOptions { LookupKeys = [.. lookupKeys], Limit = 100, Expand = ["data.currency_options"] },
                cancellationToken: cancellationToken);
            return prices.Data.Select(StripeMapper.ToGatewayPrice).ToList();
        });

    public Task<Result<GatewayProduct?>> FindProductAsync(string productId, CancellationToken cancellationToken) =>
        CallAsync<GatewayProduct?>("find product", async client =>
        {
            try
            {
                return StripeMapper.ToGatewayProduct(await new ProductService(client).GetAsync(productId, cancellationToken: cancellationToken));
            }
            catch (StripeException e) when (e.StripeError?.Code == "resource_missing")
            {
                return null;
            }
        });

    public Task<Result<GatewayProduct>> UpsertProductAsync(GatewayProduct product, bool exists, CancellationToken cancellationToken) =>
        CallAsync("upsert product", async client =>
        {
            var service = new ProductService(client);
            var saved = exists
                ? await service.UpdateAsync(product.Id, new ProductUpdateOptions { Name = product.Name, Description = product.Description, Metadata = new Dictionary<string, string>(product.Metadata) }, cancellationToken: cancellationToken)
                : await service.CreateAsync(new ProductCreateOptions { Id = product.Id, Name = product.Name, Description = product.Description, Metadata = new Dictionary<string, string>(product.Metadata) }, cancellationToken: cancellationToken);
            return StripeMapper.ToGatewayProduct(saved);
        });

    public Task<Result<GatewayPrice>> CreatePriceAsync(NewPrice price, CancellationToken cancellationToken) =>
        CallAsync("create price", async client =>
            StripeMapper.ToGatewayPrice(await new PriceService(client).CreateAsync(
                new PriceCreateOptions
                {
                    Product = price.ProductId,
                    UnitAmount = price.UnitAmount,
                    Currency = price.Currency,
                    LookupKey = price.LookupKey,
                    TransferLookupKey = price.TransferLookupKey,
                    Metadata = new Dictionary<string, string>(price.Metadata),
                    Recurring = new PriceRecurringOptions { Interval = price.Interval },
                    TaxBehavior = price.TaxBehavior,
                    CurrencyOptions = price.CurrencyOptions is { Count: > 0 } options
                        ? options.ToDictionary(o => o.Key, o => new PriceCurrencyOptionsOptions { UnitAmount = o.Value, TaxBehavior = price.TaxBehavior })
                        : null,
                    Expand = ["currency_options"],
                },
                Keyed(price.IdempotencyKey),
                cancellationToken)));

    public Task<Result<GatewayCoupon?>> FindCouponAsync(string couponId, CancellationToken cancellationToken) =>
        CallAsync<GatewayCoupon?>("find coupon", async client =>
        {
            try
            {
                return StripeMapper.ToGatewayCoupon(await new CouponService(client).GetAsync(couponId, new CouponGetOptions { Expand = ["applies_to"] }, cancellationToken: cancellationToken));
            }
            catch (StripeException e) when (e.StripeError?.Code == "resource_missing")
            {
                return null;
            }
        });

    public Task<Result<GatewayCoupon>> CreateCouponAsync(GatewayCoupon coupon, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("create coupon", async client =>
            StripeMapper.ToGatewayCoupon(await new CouponService(client).CreateAsync(
                new CouponCreateOptions
                {
                    Id = coupon.Id,
                    Name = coupon.Name,
                    PercentOff = coupon.PercentOff,
                    AmountOff = coupon.AmountOff,
                    Currency = coupon.AmountOff is null ? null : coupon.Currency,
                    Duration = coupon.Duration,
                    DurationInMonths = coupon.DurationInMonths,
                    AppliesTo = coupon.AppliesToProducts.Count == 0 ? null : new CouponAppliesToOptions { Products = [.. coupon.AppliesToProducts] },
                    Metadata = new Dictionary<string, string> { ["managed_by"] = "billing-service" },
                    Expand = ["applies_to"],
                },
                Keyed(idempotencyKey),
                cancellationToken)));

    public Task<Result<GatewayCoupon>> RenameCouponAsync(string couponId, string name, CancellationToken cancellationToken) =>
        CallAsync("rename coupon", async client =>
            StripeMapper.ToGatewayCoupon(await new CouponService(client).UpdateAsync(
                couponId,
                new CouponUpdateOptions { Name = name, Expand = ["applies_to"] },
                cancellationToken: cancellationToken)));

    public Task<Result<GatewayPromotionCode?>> FindPromotionCodeAsync(string code, CancellationToken cancellationToken) =>
        CallAsync<GatewayPromotionCode?>("find promotion code", async client =>
        {
            var found = await new PromotionCodeService(client).ListAsync(
                new PromotionCodeListOptions { Code = code, Limit = 10, Expand = ["data.promotion.coupon.applies_to"] },
                cancellationToken: cancellationToken);

            // A code is unique among active ones; inactive namesakes may remain from before.
            var promotion = found.Data.FirstOrDefault(p => p.Active) ?? found.Data.FirstOrDefault();
            return promotion is null ? null : StripeMapper.ToGatewayPromotionCode(promotion);
        });

    public Task<Result<GatewayPromotionCode>> CreatePromotionCodeAsync(NewPromotionCode code, CancellationToken cancellationToken) =>
        CallAsync("create promotion code", async client =>
            StripeMapper.ToGatewayPromotionCode(await new PromotionCodeService(client).CreateAsync(
                new PromotionCodeCreateOptions
                {
                    Code = code.Code,
                    Promotion = new PromotionCodePromotionOptions { Type = "coupon", Coupon = code.CouponId },
                    MaxRedemptions = code.MaxRedemptions,
                    ExpiresAt = code.ExpiresAt?.UtcDateTime,
                    Active = code.Active,
                    Metadata = new Dictionary<string, string> { ["managed_by"] = "billing-service" },
                    Expand = ["promotion.coupon.applies_to"],
                },
                Keyed(code.IdempotencyKey),
                cancellationToken)));

    public Task<Result<GatewayPromotionCode>> SetPromotionCodeActiveAsync(string promotionCodeId, bool active, CancellationToken cancellationToken) =>
        CallAsync("update promotion code", async client =>
            StripeMapper.ToGatewayPromotionCode(await new PromotionCodeService(client).UpdateAsync(
                promotionCodeId,
                new PromotionCodeUpdateOptions { Active = active, Expand = ["promotion.coupon.applies_to"] },
                cancellationToken: cancellationToken)));

    public Task<Result<GatewaySubscription>> ApplyPromotionCodeAsync(string subscriptionId, string promotionCodeId, string idempotencyKey, CancellationToken cancellationToken) =>
        CallAsync("apply promotion code", async client =>
            await CurrentAsync(client, await new SubscriptionService(client).UpdateAsync(
                subscriptionId,
                new SubscriptionUpdateOptions { Discounts = [new SubscriptionDiscountOptions { PromotionCode = promotionCodeId }], Expand = SubscriptionExpansions },
                Keyed(idempotencyKey),
                cancellationToken), cancellationToken));

    public Task<Result<GatewayPrice>> UpdatePriceMetadataAsync(string priceId, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        CallAsync("update price metadata", async client =>
            StripeMapper.ToGatewayPrice(await new PriceService(client).UpdateAsync(
                priceId,
                new PriceUpdateOptions { Metadata = new Dictionary<string, string>(metadata) },
                cancellationToken: cancellationToken)));

    /// <summary>
    /// Every subscription this adapter reads or changes comes back with its latest invoice (open or not, its hosted
    /// page, Stripe's next retry) and its discount (coupon terms, promotion code) in the same call.
    /// </summary>
    // The item's price in the subscription's currency is in currency_options, which Stripe shows only when expanded.
    private static List<string> SubscriptionExpansions => ["latest_invoice", "discounts.source.coupon", "discounts.promotion_code", "items.data.price.currency_options"];

    /// <summary>The payment that paid an invoice (API 2025-03-31 and later: an invoice payment naming its intent), if any.</summary>
    private static async Task<InvoicePayment?> PaidPaymentOfAsync(IStripeClient client, string invoiceId, CancellationToken cancellationToken) =>
        (await new InvoicePaymentService(client).ListAsync(new InvoicePaymentListOptions { Invoice = invoiceId, Limit = 10 }, cancellationToken: cancellationToken))
            .Data.FirstOrDefault(p => p.Status == "paid" && p.Payment?.PaymentIntentId is not null);

    private static RequestOptions Keyed(string idempotencyKey) => new() { IdempotencyKey = StripeIdempotencyKey.Of(idempotencyKey) };

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

    private async Task<Result<T>> CallAsync<T>(string operation, Func<IStripeClient, Task<T>> call)
    {
        if (clients.Client is not { } client)
        {
            return StripeErrors.MissingApiKey;
        }

        counter.Count();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(client);
            }
            catch (StripeException e) when (StripeErrors.IsBusy(e) && attempt < retries.MaxAttempts)
            {
                if ((int)e.HttpStatusCode == 429)
                {
                    metrics.StripeRateLimited.Add(1);
                }

                var delay = retries.DelayBefore(attempt);
                logger.LogInformation("Stripe {Operation} answered {Status} ({Code}); retry {Attempt} in {Delay} ms", operation, (int)e.HttpStatusCode, e.StripeError?.Code, attempt, (int)delay.TotalMilliseconds);
                await Task.Delay(delay);
            }
            catch (StripeException e)
            {
                return StripeErrors.From(e, logger, operation);
            }
            catch (HttpRequestException e)
            {
                return StripeErrors.Unreachable(e, logger, operation);
            }
            catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
            {
                return StripeErrors.Unreachable(e, logger, operation);
            }
        }
    }
}
