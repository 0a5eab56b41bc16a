using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Billing.Sandbox.Common;
using Billing.Sandbox.Stripe;
using Stripe;
using Stripe.Checkout;

namespace Billing.Sandbox.Tests;

/// <summary>The Stripe stand-in behaves as Stripe does where the API's shapes say nothing (BEHAVIOUR.md S1–S5).</summary>
public sealed class StripeBehaviourTests
{
    private const string WebhookSecret = "whsec_behaviour";
    private StripeStandIn _stripe = null!;
    private WebhookRecorder _hook = null!;
    private StripeClient _client = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _stripe = new StripeStandIn();
        await _stripe.StartAsync();
        _hook = new WebhookRecorder();
        await _hook.StartAsync();
        _stripe.Webhooks.Configure(_hook.Endpoint, WebhookSecret);
        _client = new StripeClient(apiKey: _stripe.ApiKey, apiBase: _stripe.BaseUrl.AbsoluteUri.TrimEnd('/'), httpClient: new SystemNetHttpClient(maxNetworkRetries: 0));
        _http = new HttpClient { BaseAddress = _stripe.BaseUrl };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _stripe.ApiKey);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _stripe.DisposeAsync();
        await _hook.DisposeAsync();
    }

    private async Task<Price> PriceAsync(string lookupKey, long amount, bool transfer = false)
    {
        var products = new ProductService(_client);
        if (_stripe.Prices().All(p => p["product"]!.GetValue<string>() != "prod_plan"))
        {
            await products.CreateAsync(new ProductCreateOptions { Id = "prod_plan", Name = "Plan" });
        }

        return await new PriceService(_client).CreateAsync(new PriceCreateOptions
        {
            Product = "prod_plan",
            UnitAmount = amount,
            Currency = "usd",
            LookupKey = lookupKey,
            TransferLookupKey = transfer,
            Metadata = new Dictionary<string, string> { ["tier"] = "starter" },
            Recurring = new PriceRecurringOptions { Interval = "month" },
        });
    }

    private async Task<Session> SessionAsync(string priceId, string customerId, DateTime? expiresAt = null) =>
        await new SessionService(_client).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customerId,
            ClientReferenceId = "user-1",
            SuccessUrl = "https://app.example/success",
            LineItems = [new SessionLineItemOptions { Price = priceId, Quantity = 1 }],
            ExpiresAt = expiresAt,
        });

    private async Task EventuallyReceivedAsync(params string[] types)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var received = _hook.Requests.Matching("POST", "/hook").Select(r => JsonNode.Parse(r.Body)!["type"]!.GetValue<string>()).ToHashSet();
            if (types.All(received.Contains))
            {
                return;
            }

            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"webhooks {string.Join(", ", types)} were not delivered; got {string.Join(", ", received)}");
            await Task.Delay(25);
        }
    }

    [Test]
    public async Task S1_a_request_whose_key_is_still_running_is_409_idempotency_key_in_use_and_saves_nothing()
    {
        _stripe.Latency = TimeSpan.FromMilliseconds(400);
        var options = new RequestOptions { IdempotencyKey = "same-key" };
        var service = new CustomerService(_client);

        var first = service.CreateAsync(new CustomerCreateOptions { Email = "a@example.com" }, options);
        await Task.Delay(100);
        var conflict = await Assert.ThrowsAsync<StripeException>(() => service.CreateAsync(new CustomerCreateOptions { Email = "a@example.com" }, options));
        var created = await first;
        var later = await service.CreateAsync(new CustomerCreateOptions { Email = "a@example.com" }, options);

        Assert.That(conflict!.HttpStatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(conflict.StripeError.Code, Is.EqualTo("idempotency_key_in_use"));
        Assert.That(later.Id, Is.EqualTo(created.Id), "a later retry gets the first result");
        Assert.That(_stripe.CustomerCount, Is.EqualTo(1));
    }

    [Test]
    public async Task S1_a_key_over_255_characters_is_refused()
    {
        var error = await Assert.ThrowsAsync<StripeException>(() =>
            new CustomerService(_client).CreateAsync(new CustomerCreateOptions(), new RequestOptions { IdempotencyKey = new string('k', 256) }));
        var fits = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions(), new RequestOptions { IdempotencyKey = new string('k', 255) });

        Assert.That(error!.HttpStatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(fits.Id, Does.StartWith("cus_"));
        Assert.That(_stripe.CustomerCount, Is.EqualTo(1));
    }

    [Test]
    public async Task S2_after_a_transfer_the_old_price_and_the_subscriptions_embedding_it_read_a_null_lookup_key()
    {
        var old = await PriceAsync("starter_monthly", 1900);
        var (_, subscriptionId) = _stripe.SeedSubscription("starter_monthly", "user-1");

        var replacement = await PriceAsync("starter_monthly", 2400, transfer: true);
        var subscription = await new SubscriptionService(_client).GetAsync(subscriptionId);
        var oldNow = await new PriceService(_client).GetAsync(old.Id);

        Assert.That(oldNow.LookupKey, Is.Null);
        Assert.That(subscription.Items.Data[0].Price.Id, Is.EqualTo(old.Id), "subscriptions are not migrated");
        Assert.That(subscription.Items.Data[0].Price.LookupKey, Is.Null);
        Assert.That(subscription.Items.Data[0].Price.ProductId, Is.EqualTo("prod_plan"), "the product stays");
        Assert.That(subscription.Items.Data[0].Price.Metadata["tier"], Is.EqualTo("starter"));
        Assert.That(replacement.LookupKey, Is.EqualTo("starter_monthly"));
    }

    [Test]
    public async Task S3_two_open_sessions_of_one_customer_can_both_be_paid_and_an_expired_one_cannot()
    {
        var price = await PriceAsync("starter_monthly", 1900);
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions());
        var first = await SessionAsync(price.Id, customer.Id);
        var second = await SessionAsync(price.Id, customer.Id);
        var third = await SessionAsync(price.Id, customer.Id);

        var paidFirst = _stripe.CompleteCheckout(first.Id, StripeStandIn.CardSucceeds);
        var paidSecond = _stripe.CompleteCheckout(second.Id, StripeStandIn.CardSucceeds);
        var expired = await new SessionService(_client).ExpireAsync(third.Id);
        var paidThird = _stripe.CompleteCheckout(third.Id, StripeStandIn.CardSucceeds);
        var expireAgain = await Assert.ThrowsAsync<StripeException>(() => new SessionService(_client).ExpireAsync(third.Id));
        var subscriptions = await new SubscriptionService(_client).ListAsync(new SubscriptionListOptions { Customer = customer.Id });

        Assert.That((paidFirst.Status, paidSecond.Status), Is.EqualTo((200, 200)));
        Assert.That(subscriptions.Data.Count(s => s.Status == "active"), Is.EqualTo(2), "nothing on Stripe's side stops the second");
        Assert.That(expired.Status, Is.EqualTo("expired"));
        Assert.That(paidThird.Status, Is.EqualTo(400));
        Assert.That(expireAgain!.HttpStatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        await EventuallyReceivedAsync("checkout.session.expired");
    }

    [Test]
    public async Task S3_a_session_lives_between_30_minutes_and_24_hours()
    {
        var price = await PriceAsync("starter_monthly", 1900);
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions());

        var tooShort = await Assert.ThrowsAsync<StripeException>(() => SessionAsync(price.Id, customer.Id, DateTime.UtcNow.AddMinutes(10)));
        var tooLong = await Assert.ThrowsAsync<StripeException>(() => SessionAsync(price.Id, customer.Id, DateTime.UtcNow.AddHours(25)));
        var hour = await SessionAsync(price.Id, customer.Id, DateTime.UtcNow.AddHours(1));

        Assert.That(tooShort!.StripeError.Param, Is.EqualTo("expires_at"));
        Assert.That(tooLong!.StripeError.Param, Is.EqualTo("expires_at"));
        Assert.That(hour.ExpiresAt, Is.EqualTo(DateTime.UtcNow.AddHours(1)).Within(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task S4_a_first_payment_needing_authentication_is_incomplete_until_authenticated_or_expires_after_a_day()
    {
        var price = await PriceAsync("starter_monthly", 1900);
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions());
        var authenticated = _stripe.CompleteCheckout((await SessionAsync(price.Id, customer.Id)).Id, StripeStandIn.CardNeedsAuthentication);
        var abandoned = _stripe.CompleteCheckout((await SessionAsync(price.Id, customer.Id)).Id, StripeStandIn.CardNeedsAuthentication);
        var subscriptionId = authenticated.Body["subscription"]!.GetValue<string>();
        var abandonedId = abandoned.Body["subscription"]!.GetValue<string>();
        var before = (await new SubscriptionService(_client).GetAsync(subscriptionId)).Status;

        _stripe.Authenticate3DSecure(authenticated.Body["invoice"]!.GetValue<string>());
        _stripe.ExpireIncomplete(abandonedId);

        Assert.That(before, Is.EqualTo("incomplete"));
        Assert.That((await new SubscriptionService(_client).GetAsync(subscriptionId)).Status, Is.EqualTo("active"));
        Assert.That((await new SubscriptionService(_client).GetAsync(abandonedId)).Status, Is.EqualTo("incomplete_expired"));
    }

    [Test]
    public async Task S4_a_renewal_needing_authentication_is_past_due_with_a_hosted_invoice_until_the_customer_authenticates()
    {
        await PriceAsync("starter_monthly", 1900);
        var (_, subscriptionId) = _stripe.SeedSubscription("starter_monthly", "user-1");

        _stripe.RequireAuthenticationForRenewal(subscriptionId);
        var pastDue = await new SubscriptionService(_client).GetAsync(subscriptionId);
        var invoice = (await new InvoiceService(_client).ListAsync(new InvoiceListOptions { Subscription = subscriptionId })).Data.First();
        await EventuallyReceivedAsync("invoice.payment_action_required", "invoice.payment_failed");
        _stripe.Authenticate3DSecure(invoice.Id);

        Assert.That(pastDue.Status, Is.EqualTo("past_due"));
        Assert.That(invoice.Status, Is.EqualTo("open"));
        Assert.That(invoice.HostedInvoiceUrl, Is.Not.Null);
        Assert.That(invoice.NextPaymentAttempt, Is.Null, "nothing is retried until the customer acts");
        Assert.That((await new SubscriptionService(_client).GetAsync(subscriptionId)).Status, Is.EqualTo("active"));
    }

    [Test]
    public async Task S5_more_than_25_requests_a_second_to_one_endpoint_are_429_with_the_reason_and_no_retry_after()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => _http.GetAsync($"v1/customers/cus_missing_{i}")));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.NotFound), Is.EqualTo(25), "reads of different ids share one endpoint budget");
        Assert.That(limited, Has.Count.EqualTo(5));
        Assert.That(limited[0].Headers.GetValues("Stripe-Rate-Limited-Reason").Single(), Is.EqualTo("endpoint-rate"));
        Assert.That(limited[0].Headers.RetryAfter, Is.Null);
        Assert.That(JsonNode.Parse(await limited[0].Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>(), Is.EqualTo("rate_limit"));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Test]
    public async Task S5_the_account_wide_limit_spans_endpoints_and_both_limits_are_configurable()
    {
        _stripe.RateLimits.GlobalPerSecond = 10;
        var paths = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? $"v1/customers/cus_{i}" : $"v1/products/prod_{i}");

        var responses = await Task.WhenAll(paths.Select(p => _http.GetAsync(p)));

        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.That(limited, Has.Count.EqualTo(2));
        Assert.That(limited.All(r => r.Headers.GetValues("Stripe-Rate-Limited-Reason").Single() == "global-rate"), Is.True);
        Assert.That(_stripe.RateLimits.Refused, Is.EqualTo(2));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Test]
    public async Task A_refund_never_exceeds_what_the_invoice_collected()
    {
        var price = await PriceAsync("starter_monthly", 1900);
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions());
        var paid = _stripe.CompleteCheckout((await SessionAsync(price.Id, customer.Id)).Id, StripeStandIn.CardSucceeds);
        var payment = (await new InvoicePaymentService(_client).ListAsync(new InvoicePaymentListOptions { Invoice = paid.Body["invoice"]!.GetValue<string>() })).Data.Single();

        var part = await new RefundService(_client).CreateAsync(new RefundCreateOptions { PaymentIntent = payment.Payment.PaymentIntentId, Amount = 900 });
        var tooMuch = await Assert.ThrowsAsync<StripeException>(() => new RefundService(_client).CreateAsync(new RefundCreateOptions { PaymentIntent = payment.Payment.PaymentIntentId, Amount = 1001 }));
        var rest = await new RefundService(_client).CreateAsync(new RefundCreateOptions { PaymentIntent = payment.Payment.PaymentIntentId, Reason = "duplicate" });

        Assert.That(part.Amount, Is.EqualTo(900));
        Assert.That(tooMuch!.StripeError.Code, Is.EqualTo("amount_too_large"));
        Assert.That(rest.Amount, Is.EqualTo(1000));
    }

    [Test]
    public async Task Only_a_paused_subscription_can_be_resumed_and_it_starts_a_new_period_now()
    {
        await PriceAsync("starter_monthly", 1900);
        var (_, subscriptionId) = _stripe.SeedSubscription("starter_monthly", "user-1");
        var service = new SubscriptionService(_client);

        var notPaused = await Assert.ThrowsAsync<StripeException>(() => service.ResumeAsync(subscriptionId, new SubscriptionResumeOptions()));
        _stripe.PauseSubscription(subscriptionId);
        var paused = await service.GetAsync(subscriptionId);
        var resumed = await service.ResumeAsync(subscriptionId, new SubscriptionResumeOptions());

        Assert.That(notPaused!.HttpStatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(paused.Status, Is.EqualTo("paused"));
        Assert.That(resumed.Status, Is.EqualTo("active"));
        Assert.That(resumed.Items.Data[0].CurrentPeriodStart, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(1)));
        await EventuallyReceivedAsync("customer.subscription.paused", "customer.subscription.resumed");
    }

    [Test]
    public async Task A_new_quantity_alone_changes_the_items_seats_says_what_it_was_and_invoices_at_once_only_when_asked()
    {
        await PriceAsync("starter_monthly", 1900);
        var (customerId, subscriptionId) = _stripe.SeedSubscription("starter_monthly", "user-1");
        var service = new SubscriptionService(_client);
        var item = (await service.GetAsync(subscriptionId)).Items.Data[0].Id;
        async Task<int> InvoicesAsync() => (await new InvoiceService(_client).ListAsync(new InvoiceListOptions { Customer = customerId, Limit = 100 })).Data.Count;
        var invoicesBefore = await InvoicesAsync();

        var prorated = await service.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { Items = [new SubscriptionItemOptions { Id = item, Quantity = 3 }], ProrationBehavior = "create_prorations" });
        var invoicesAfterProration = await InvoicesAsync();
        var invoiced = await service.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { Items = [new SubscriptionItemOptions { Id = item, Quantity = 5 }], ProrationBehavior = "always_invoice" });
        var negative = await Assert.ThrowsAsync<StripeException>(() => service.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { Items = [new SubscriptionItemOptions { Id = item, Quantity = -1 }] }));

        Assert.That((prorated.Items.Data[0].Quantity, prorated.Items.Data[0].Price.Id), Is.EqualTo((3L, invoiced.Items.Data[0].Price.Id)), "the price stays");
        Assert.That(invoicesAfterProration, Is.EqualTo(invoicesBefore), "create_prorations leaves the proration to the next invoice");
        Assert.That(invoiced.Items.Data[0].Quantity, Is.EqualTo(5));
        Assert.That(await InvoicesAsync(), Is.EqualTo(invoicesBefore + 1), "always_invoice bills the two extra seats now");
        Assert.That((negative!.HttpStatusCode, negative.StripeError.Code, negative.StripeError.Param), Is.EqualTo((HttpStatusCode.BadRequest, "parameter_invalid_integer", "items[0][quantity]")));
        await EventuallyReceivedAsync("customer.subscription.updated");
        var update = _hook.Requests.Matching("POST", "/hook").Select(r => JsonNode.Parse(r.Body)!).First(e => e["type"]!.GetValue<string>() == "customer.subscription.updated");
        Assert.That(update["data"]!["previous_attributes"]!["items"]!["data"]![0]!["quantity"]!.GetValue<long>(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_subscription_read_can_expand_its_latest_invoice_and_nothing_else()
    {
        await PriceAsync("starter_monthly", 1900);
        var (_, subscriptionId) = _stripe.SeedSubscription("starter_monthly", "user-1");
        _stripe.FailRenewal(subscriptionId);
        var service = new SubscriptionService(_client);

        var expanded = await service.GetAsync(subscriptionId, new SubscriptionGetOptions { Expand = ["latest_invoice"] });
        var plain = await service.GetAsync(subscriptionId);
        var refused = await Assert.ThrowsAsync<StripeException>(() => service.GetAsync(subscriptionId, new SubscriptionGetOptions { Expand = ["customer.sources"] }));

        Assert.That(expanded.LatestInvoice.Status, Is.EqualTo("open"));
        Assert.That(expanded.LatestInvoice.HostedInvoiceUrl, Does.Contain(expanded.LatestInvoice.Id));
        Assert.That(expanded.LatestInvoice.NextPaymentAttempt, Is.Not.Null, "Smart Retries will try again");
        Assert.That(plain.LatestInvoice, Is.Null);
        Assert.That(plain.LatestInvoiceId, Is.EqualTo(expanded.LatestInvoice.Id));
        Assert.That(refused!.HttpStatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task When_Smart_Retries_end_the_invoice_has_no_next_attempt_and_the_subscription_follows_the_setting()
    {
        await PriceAsync("starter_monthly", 1900);
        var (_, subscriptionId) = _stripe.SeedSubscription("starter_monthly", "user-1");
        _stripe.FailRenewal(subscriptionId);

        _stripe.EndRetries(subscriptionId, "unpaid");
        var subscription = await new SubscriptionService(_client).GetAsync(subscriptionId, new SubscriptionGetOptions { Expand = ["latest_invoice"] });

        Assert.That(subscription.Status, Is.EqualTo("unpaid"));
        Assert.That(subscription.LatestInvoice.Status, Is.EqualTo("open"));
        Assert.That(subscription.LatestInvoice.NextPaymentAttempt, Is.Null);
        Assert.That(_stripe.EndRetries(subscriptionId).Status, Is.EqualTo(200), "an open invoice can still end its retries once more");
    }

    [Test]
    public async Task A_setup_session_needs_a_currency_saves_a_card_without_making_it_the_default_and_a_charge_can_still_decline()
    {
        await PriceAsync("starter_monthly", 1900);
        var (customerId, subscriptionId) = _stripe.SeedSubscription("starter_monthly", "user-1");
        _stripe.FailRenewal(subscriptionId);
        var sessions = new SessionService(_client);
        var options = new SessionCreateOptions { Mode = "setup", Customer = customerId, SuccessUrl = "https://app.example/ok" };

        var noCurrency = await Assert.ThrowsAsync<StripeException>(() => sessions.CreateAsync(options));
        options.Currency = "usd";
        var session = await sessions.CreateAsync(options);
        _stripe.CompleteCheckout(session.Id, StripeStandIn.CardAttachesThenDeclines);
        var completed = await sessions.GetAsync(session.Id);
        var intent = await new SetupIntentService(_client).GetAsync(completed.SetupIntentId);
        var customer = await new CustomerService(_client).GetAsync(customerId);
        var invoiceId = _stripe.Subscription(subscriptionId)!["latest_invoice"]!.GetValue<string>();
        var declined = await Assert.ThrowsAsync<StripeException>(() => new InvoiceService(_client).PayAsync(invoiceId, new InvoicePayOptions { PaymentMethod = intent.PaymentMethodId }));
        var foreign = await Assert.ThrowsAsync<StripeException>(() => new SubscriptionService(_client).UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { DefaultPaymentMethod = "pm_not_theirs" }));

        Assert.That(noCurrency!.StripeError.Param, Is.EqualTo("currency"));
        Assert.That(completed.Status, Is.EqualTo("complete"));
        Assert.That(intent.Status, Is.EqualTo("succeeded"));
        Assert.That(customer.InvoiceSettings.DefaultPaymentMethodId, Is.Not.EqualTo(intent.PaymentMethodId), "saving a card does not make it the default");
        Assert.That(declined!.HttpStatusCode, Is.EqualTo(HttpStatusCode.PaymentRequired));
        Assert.That((await new InvoiceService(_client).GetAsync(invoiceId)).Status, Is.EqualTo("open"), "a declined charge leaves the invoice open");
        Assert.That(foreign!.StripeError.Code, Is.EqualTo("resource_missing"));
    }

    [Test]
    public async Task A_trial_without_a_card_ends_as_its_settings_say_and_trial_end_must_be_in_the_future()
    {
        var price = await PriceAsync("starter_monthly", 1900);
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions { Email = "t@example.com" });
        var sessions = new SessionService(_client);
        var session = await sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer.Id,
            SuccessUrl = "https://app.example/ok",
            LineItems = [new SessionLineItemOptions { Price = price.Id, Quantity = 1 }],
            PaymentMethodCollection = "if_required",
            SubscriptionData = new SessionSubscriptionDataOptions
            {
                TrialPeriodDays = 14,
                TrialSettings = new SessionSubscriptionDataTrialSettingsOptions { EndBehavior = new SessionSubscriptionDataTrialSettingsEndBehaviorOptions { MissingPaymentMethod = "pause" } },
            },
        });
        var completed = _stripe.CompleteCheckout(session.Id, card: string.Empty);
        var subscriptionId = completed.Body["subscription"]!.GetValue<string>();
        var subscriptions = new SubscriptionService(_client);
        var trialing = await subscriptions.GetAsync(subscriptionId);
        var past = await Assert.ThrowsAsync<StripeException>(() => subscriptions.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions { TrialEnd = DateTime.UtcNow.AddDays(-1) }));

        _stripe.EndTrial(subscriptionId);
        var ended = await subscriptions.GetAsync(subscriptionId);

        Assert.That(trialing.Status, Is.EqualTo("trialing"));
        Assert.That(trialing.TrialEnd, Is.EqualTo(DateTime.UtcNow.AddDays(14)).Within(TimeSpan.FromMinutes(1)));
        Assert.That(trialing.DefaultPaymentMethodId, Is.Null, "no card was asked for");
        Assert.That(past!.StripeError.Param, Is.EqualTo("trial_end"));
        Assert.That(ended.Status, Is.EqualTo("paused"), "no card at the end: missing_payment_method=pause");
        Assert.That(_stripe.CompleteCheckout((await sessions.CreateAsync(new SessionCreateOptions { Mode = "subscription", Customer = customer.Id, SuccessUrl = "https://app.example/ok", LineItems = [new SessionLineItemOptions { Price = price.Id, Quantity = 1 }] })).Id, string.Empty).Status, Is.EqualTo(402), "without a trial, a card is required");
    }

    [Test]
    public async Task Coupons_keep_their_terms_codes_are_unique_among_active_ones_and_redeem_only_on_their_products()
    {
        var price = await PriceAsync("starter_monthly", 1900);
        await new ProductService(_client).CreateAsync(new ProductCreateOptions { Id = "prod_other", Name = "Other" });
        var coupons = new CouponService(_client);
        var coupon = await coupons.CreateAsync(new CouponCreateOptions { Id = "only-other", PercentOff = 50, Duration = "once", AppliesTo = new CouponAppliesToOptions { Products = ["prod_other"] } });
        var promotions = new PromotionCodeService(_client);
        var code = await promotions.CreateAsync(new PromotionCodeCreateOptions { Code = "HALF", Promotion = new PromotionCodePromotionOptions { Type = "coupon", Coupon = coupon.Id } });

        var renamed = await coupons.UpdateAsync(coupon.Id, new CouponUpdateOptions { Name = "Half off", Metadata = new() { ["a"] = "b" }, Expand = ["applies_to"] });
        var plain = await coupons.GetAsync(coupon.Id);
        var expanded = await coupons.GetAsync(coupon.Id, new CouponGetOptions { Expand = ["applies_to"] });
        var twin = await Assert.ThrowsAsync<StripeException>(() => promotions.CreateAsync(new PromotionCodeCreateOptions { Code = "half", Promotion = new PromotionCodePromotionOptions { Type = "coupon", Coupon = coupon.Id } }));
        var found = await promotions.ListAsync(new PromotionCodeListOptions { Code = "half", Expand = ["data.promotion.coupon"] });
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions());
        var wrongProduct = await Assert.ThrowsAsync<StripeException>(() => new SessionService(_client).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer.Id,
            SuccessUrl = "https://app.example/ok",
            LineItems = [new SessionLineItemOptions { Price = price.Id, Quantity = 1 }],
            Discounts = [new SessionDiscountOptions { PromotionCode = code.Id }],
        }));

        Assert.That(renamed.Name, Is.EqualTo("Half off"), "name and metadata can change");
        Assert.That(plain.AppliesTo, Is.Null, "applies_to is shown only when expanded");
        Assert.That(expanded.AppliesTo.Products, Is.EqualTo(new[] { "prod_other" }));
        Assert.That(twin!.StripeError.Code, Is.EqualTo("resource_already_exists"));
        Assert.That(found.Data.Single().Promotion.Coupon.PercentOff, Is.EqualTo(50m), "matched case-insensitively, coupon expanded");
        Assert.That(wrongProduct!.StripeError.Code, Is.EqualTo("coupon_not_applicable"));
        var raw = await _http.PostAsync($"v1/coupons/{coupon.Id}", new FormUrlEncodedContent([KeyValuePair.Create("percent_off", "10")]));
        Assert.That(raw.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a coupon's terms never change");
    }

    [Test]
    public async Task A_price_in_several_currencies_shows_its_options_only_when_expanded_and_bills_a_subscription_in_its_currency()
    {
        await PriceAsync("seed_price", 100);
        var price = await new PriceService(_client).CreateAsync(new PriceCreateOptions
        {
            Product = "prod_plan",
            UnitAmount = 1900,
            Currency = "usd",
            LookupKey = "multi_monthly",
            Recurring = new PriceRecurringOptions { Interval = "month" },
            CurrencyOptions = new Dictionary<string, PriceCurrencyOptionsOptions> { ["eur"] = new() { UnitAmount = 1700 } },
        });
        var listed = await new PriceService(_client).ListAsync(new PriceListOptions { LookupKeys = ["multi_monthly"] });
        var expanded = await new PriceService(_client).ListAsync(new PriceListOptions { LookupKeys = ["multi_monthly"], Expand = ["data.currency_options"] });
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions());
        var session = await new SessionService(_client).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer.Id,
            Currency = "eur",
            SuccessUrl = "https://app.example/ok",
            LineItems = [new SessionLineItemOptions { Price = price.Id, Quantity = 1 }],
        });
        var subscriptionId = _stripe.CompleteCheckout(session.Id, StripeStandIn.CardSucceeds).Body["subscription"]!.GetValue<string>();
        var inDollars = await Assert.ThrowsAsync<StripeException>(() => new SessionService(_client).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer.Id,
            Currency = "usd",
            SuccessUrl = "https://app.example/ok",
            LineItems = [new SessionLineItemOptions { Price = price.Id, Quantity = 1 }],
        }));
        var inPounds = await Assert.ThrowsAsync<StripeException>(() => new SessionService(_client).CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Currency = "gbp",
            SuccessUrl = "https://app.example/ok",
            LineItems = [new SessionLineItemOptions { Price = price.Id, Quantity = 1 }],
        }));
        var subscription = await new SubscriptionService(_client).GetAsync(subscriptionId, new SubscriptionGetOptions { Expand = ["latest_invoice", "items.data.price.currency_options"] });

        Assert.That(listed.Data.Single().CurrencyOptions, Is.Null, "not shown unless expanded");
        Assert.That(expanded.Data.Single().CurrencyOptions.Keys, Is.EquivalentTo(new[] { "usd", "eur" }), "the default currency is among the options");
        Assert.That(session.AmountTotal, Is.EqualTo(1700));
        Assert.That(subscription.Currency, Is.EqualTo("eur"));
        Assert.That(subscription.LatestInvoice.Total, Is.EqualTo(1700));
        Assert.That(subscription.Items.Data[0].Price.CurrencyOptions["eur"].UnitAmount, Is.EqualTo(1700));
        Assert.That(inDollars!.StripeError.Message, Does.Contain("cannot combine currencies"), "one customer, one currency for live subscriptions");
        Assert.That(inPounds!.StripeError.Message, Does.Contain("doesn't include the expected currency"));
    }

    [Test]
    public async Task Automatic_tax_for_an_existing_customer_needs_its_address_and_name_updates_and_taxes_at_the_country_rate()
    {
        var price = await PriceAsync("taxed_monthly", 1000);
        var customer = await new CustomerService(_client).CreateAsync(new CustomerCreateOptions());
        SessionCreateOptions Options(SessionCustomerUpdateOptions? update) => new()
        {
            Mode = "subscription",
            Customer = customer.Id,
            SuccessUrl = "https://app.example/ok",
            LineItems = [new SessionLineItemOptions { Price = price.Id, Quantity = 1 }],
            AutomaticTax = new SessionAutomaticTaxOptions { Enabled = true },
            TaxIdCollection = new SessionTaxIdCollectionOptions { Enabled = true },
            BillingAddressCollection = "required",
            CustomerUpdate = update,
        };

        var noAddress = await Assert.ThrowsAsync<StripeException>(() => new SessionService(_client).CreateAsync(Options(null)));
        var noName = await Assert.ThrowsAsync<StripeException>(() => new SessionService(_client).CreateAsync(Options(new SessionCustomerUpdateOptions { Address = "auto" })));
        var session = await new SessionService(_client).CreateAsync(Options(new SessionCustomerUpdateOptions { Address = "auto", Name = "auto" }));
        var subscriptionId = _stripe.CompleteCheckout(session.Id, StripeStandIn.CardSucceeds, country: "FR").Body["subscription"]!.GetValue<string>();
        var subscription = await new SubscriptionService(_client).GetAsync(subscriptionId, new SubscriptionGetOptions { Expand = ["latest_invoice"] });

        Assert.That(noAddress!.StripeError.Message, Does.Contain("requires a valid address"));
        Assert.That(noName!.StripeError.Message, Does.Contain("customer_update[name]"));
        Assert.That(subscription.AutomaticTax.Enabled, Is.True);
        Assert.That(subscription.LatestInvoice.TotalTaxes.Single().Amount, Is.EqualTo(200), "20 % in France on a tax-unspecified (so exclusive) price");
        Assert.That(subscription.LatestInvoice.Total, Is.EqualTo(1200));
        Assert.That(subscription.LatestInvoice.TotalExcludingTax, Is.EqualTo(1000));
    }

    /// <summary>
    /// A paid invoice's charge is readable; a charge made without a payment intent is listed among its invoice's
    /// payments as type <c>charge</c>, and its dispute and refunds name the charge and no payment intent. Dispute ids
    /// carry Stripe's <c>dp_</c>.
    /// </summary>
    [Test]
    public async Task A_charge_made_without_a_payment_intent_is_listed_by_type_charge_and_its_dispute_names_no_payment_intent()
    {
        var price = await PriceAsync("starter_monthly", 1900);
        var customerId = (await new CustomerService(_client).CreateAsync(new CustomerCreateOptions())).Id;
        var invoiceId = _stripe.CompleteCheckout((await SessionAsync(price.Id, customerId)).Id, StripeStandIn.CardSucceeds).Body["invoice"]!.GetValue<string>();
        var viaIntent = (await new InvoicePaymentService(_client).ListAsync(new InvoicePaymentListOptions { Invoice = invoiceId })).Data.Single();
        var charged = await new ChargeService(_client).GetAsync(viaIntent.Payment.ChargeId);

        var chargeId = _stripe.PayInvoiceByChargeAlone(invoiceId);
        var alone = (await new InvoicePaymentService(_client).ListAsync(new InvoicePaymentListOptions { Invoice = invoiceId })).Data.Single();
        var dispute = _stripe.DisputeCharge(chargeId).Body;
        var refund = await new RefundService(_client).CreateAsync(new RefundCreateOptions { Charge = chargeId, Amount = 100 });
        var refundsOfCharge = await new RefundService(_client).ListAsync(new RefundListOptions { Charge = chargeId });
        var missing = await Assert.ThrowsAsync<StripeException>(() => new ChargeService(_client).GetAsync("ch_missing"));

        Assert.That((charged.CustomerId, charged.PaymentIntentId, charged.Amount), Is.EqualTo((customerId, viaIntent.Payment.PaymentIntentId, 1900L)));
        Assert.That((alone.Payment.Type, alone.Payment.ChargeId, alone.Payment.PaymentIntentId), Is.EqualTo(("charge", chargeId, (string?)null)));
        Assert.That(dispute["id"]!.GetValue<string>(), Does.StartWith("dp_"));
        Assert.That(dispute["payment_intent"], Is.Null);
        Assert.That(dispute["charge"]!.GetValue<string>(), Is.EqualTo(chargeId));
        Assert.That((refund.ChargeId, refund.PaymentIntentId), Is.EqualTo((chargeId, (string?)null)));
        Assert.That(refundsOfCharge.Data.Single().Id, Is.EqualTo(refund.Id));
        Assert.That(missing!.HttpStatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    /// <summary>
    /// Webhook endpoints: the secret only in the creation answer; the API version fixed at creation (an update naming
    /// it is refused as an unknown parameter); event names checked; <c>disabled</c> sets the status.
    /// </summary>
    [Test]
    public async Task A_webhook_endpoint_shows_its_secret_once_and_keeps_its_api_version_for_good()
    {
        var service = new WebhookEndpointService(_client);
        var created = await service.CreateAsync(new WebhookEndpointCreateOptions { Url = "https://billing.example.com/hook", EnabledEvents = ["invoice.paid"], ApiVersion = "2026-10-28.endive" });
        var listed = (await service.ListAsync()).Data.Single();
        var changeVersion = await Assert.ThrowsAsync<StripeException>(() => service.UpdateAsync(created.Id, new WebhookEndpointUpdateOptions { ExtraParams = new Dictionary<string, object> { ["api_version"] = "2024-06-20" } }));
        var badEvent = await Assert.ThrowsAsync<StripeException>(() => service.CreateAsync(new WebhookEndpointCreateOptions { Url = "https://billing.example.com/hook", EnabledEvents = ["not an event"] }));
        var disabled = await service.UpdateAsync(created.Id, new WebhookEndpointUpdateOptions { Disabled = true, EnabledEvents = ["invoice.paid", "charge.refunded"] });
        var byDefault = await service.CreateAsync(new WebhookEndpointCreateOptions { Url = "https://billing.example.com/other", EnabledEvents = ["*"] });

        Assert.That(created.Secret, Does.StartWith("whsec_"));
        Assert.That(listed.Secret, Is.Null);
        Assert.That(changeVersion!.StripeError.Code, Is.EqualTo("parameter_unknown"));
        Assert.That(badEvent!.StripeError.Param, Is.EqualTo("enabled_events[0]"));
        Assert.That((disabled.Status, disabled.ApiVersion, disabled.Secret), Is.EqualTo(("disabled", "2026-10-28.endive", (string?)null)));
        Assert.That(disabled.EnabledEvents, Is.EqualTo(new[] { "invoice.paid", "charge.refunded" }));
        Assert.That(byDefault.ApiVersion, Is.EqualTo(StripeStandIn.AccountDefaultApiVersion), "without one, the account's default version");
    }
}
