using Billing.Application.Checkout.Create;
using Billing.Application.Accounts;
using Billing.Application.Catalog;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Billing.Application.Organizations;
using Moq;

namespace Billing.Application.Tests.Checkout;

public sealed class CreateCheckoutSessionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<ICheckoutGateway> _gateway = null!;
    private Mock<ICustomerGateway> _customers = null!;
    private Mock<ICatalogGateway> _catalog = null!;
    private Mock<IOrganizationDirectory> _organizations = null!;

    // NUnit shares one fixture instance between tests: fresh mocks for each.
    [SetUp]
    public void FreshMocks()
    {
        _accounts = new Mock<IBillingAccountRepository>();
        _gateway = new Mock<ICheckoutGateway>();
        _customers = new Mock<ICustomerGateway>();
        _catalog = new Mock<ICatalogGateway>();
        _organizations = new Mock<IOrganizationDirectory>();
    }

    private SeatPolicy Seats(PlanCatalog? catalog = null, bool followMembers = false)
    {
        var options = TestCatalog.Options();
        options.Value.Organizations.SeatsFollowMembers = followMembers;
        return new SeatPolicy(_organizations.Object, catalog ?? TestCatalog.Create(), options);
    }

    private CreateCheckoutSessionHandler Handler(string successUrl = "https://app.example/done") =>
        new(TestCatalog.Create(), new PaymentCustomers(_accounts.Object, _customers.Object), new PlanPrices(_catalog.Object), new Billing.Application.Promotions.PromotionCodeCheck(_catalog.Object, TestCatalog.Create(), TimeProvider.System), _gateway.Object, Seats(), TimeProvider.System, TestCatalog.Options(successUrl));

    private BillingAccount AccountWithCustomer(string userId = "u1")
    {
        var account = BillingAccount.Open(userId, "u1@example.com", Now);
        account.LinkStripeCustomer("cus_1", Now);
        _accounts.Setup(a => a.GetOrOpenAsync(userId, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    private void PriceExists(string lookupKey, string id) =>
        _catalog.Setup(g => g.FindPricesByLookupKeysAsync(It.Is<IReadOnlyCollection<string>>(k => k.Single() == lookupKey), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<GatewayPrice>>.Success([new GatewayPrice(id, "prod", lookupKey, 1, "usd", BillingCycle.Yearly, true, new Dictionary<string, string>())]));

    [Test]
    public async Task A_yearly_checkout_uses_the_yearly_price_found_by_lookup_key()
    {
        AccountWithCustomer();
        PriceExists("professional_yearly", "price_pro_year");
        NewCheckoutSession? sent = null;
        _gateway.Setup(g => g.CreateCheckoutSessionAsync(It.IsAny<NewCheckoutSession>(), It.IsAny<CancellationToken>()))
            .Callback<NewCheckoutSession, CancellationToken>((s, _) => sent = s)
            .ReturnsAsync(Result<CheckoutSessionCreated>.Success(new CheckoutSessionCreated("cs_1", "https://checkout/cs_1", DateTimeOffset.UtcNow.AddHours(1))));

        var result = await Handler().Handle(new CreateCheckoutSession("u1", "u1@example.com", "professional", "yearly", "key-1"), default);

        Assert.That(result.Value, Is.EqualTo(new CheckoutSessionView("https://checkout/cs_1", "cs_1")));
        Assert.That(sent!.PriceId, Is.EqualTo("price_pro_year"));
        Assert.That(sent.Cycle, Is.EqualTo(BillingCycle.Yearly));
        Assert.That(sent.CustomerId, Is.EqualTo("cus_1"));
        Assert.That(sent.IdempotencyKey, Is.EqualTo("billing-checkout-u1-key-1"));
        Assert.That(sent.SuccessUrl, Is.EqualTo("https://app.example/done?session_id={CHECKOUT_SESSION_ID}"));
    }

    [Test]
    public async Task A_trial_tier_starts_a_trial_that_asks_for_a_card_by_default_and_none_once_a_trial_was_had()
    {
        var catalog = new PlanCatalog(new PlanCatalogOptions
        {
            Tiers = new(StringComparer.OrdinalIgnoreCase) { ["professional"] = new TierDefinition { Prices = new() { ["monthly"] = 4900 }, TrialDays = 14 } },
        });
        var handler = new CreateCheckoutSessionHandler(catalog, new PaymentCustomers(_accounts.Object, _customers.Object), new PlanPrices(_catalog.Object), new Billing.Application.Promotions.PromotionCodeCheck(_catalog.Object, catalog, TimeProvider.System), _gateway.Object, Seats(catalog), TimeProvider.System, TestCatalog.Options());
        var account = AccountWithCustomer();
        PriceExists("professional_monthly", "price_pro_month");
        var sent = new List<NewCheckoutSession>();
        _gateway.Setup(g => g.CreateCheckoutSessionAsync(It.IsAny<NewCheckoutSession>(), It.IsAny<CancellationToken>()))
            .Callback<NewCheckoutSession, CancellationToken>((s, _) => sent.Add(s))
            .ReturnsAsync(Result<CheckoutSessionCreated>.Success(new CheckoutSessionCreated("cs_1", "https://checkout/cs_1", DateTimeOffset.UtcNow.AddHours(1))));
        _gateway.Setup(g => g.ExpireCheckoutSessionAsync("cs_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<bool>.Success(true));

        var first = await handler.Handle(new CreateCheckoutSession("u1", "u1@example.com", "professional", "monthly"), default);
        account.ForgetCheckout();
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Canceled, Tier.Professional, BillingCycle.Monthly, Now, Now.AddDays(14), false, 4900, "usd", TrialEnd: Now.AddDays(14)), Now.AddDays(15));
        var second = await handler.Handle(new CreateCheckoutSession("u1", "u1@example.com", "professional", "monthly"), default);

        Assert.That(first.Value.TrialDays, Is.EqualTo(14));
        Assert.That(sent[0].TrialDays, Is.EqualTo(14));
        Assert.That(sent[0].TrialWithoutCard, Is.False, "Billing:Trials:RequireCard is on by default");
        Assert.That(second.Value.TrialDays, Is.Null);
        Assert.That(sent[1].TrialDays, Is.Null, "one trial per user");
    }

    [Test]
    public async Task A_live_subscription_is_a_conflict_and_no_session_is_created()
    {
        var account = AccountWithCustomer();
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now, Now.AddMonths(1), false, 1900, "usd"), Now);

        var result = await Handler().Handle(new CreateCheckoutSession("u1", "u1@example.com", "professional", "monthly"), default);

        Assert.That(result.Error!.Kind, Is.EqualTo(ErrorKind.Conflict));
        _gateway.Verify(g => g.CreateCheckoutSessionAsync(It.IsAny<NewCheckoutSession>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task A_first_checkout_creates_the_customer_with_a_key_derived_from_the_user()
    {
        var account = BillingAccount.Open("u2", "u2@example.com", Now);
        _accounts.Setup(a => a.GetOrOpenAsync("u2", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(account);
        _customers.Setup(g => g.CreateCustomerAsync(It.IsAny<NewCustomer>(), It.IsAny<CancellationToken>())).ReturnsAsync(Result<string>.Success("cus_new"));
        var linked = BillingAccount.Open("u2", "u2@example.com", Now);
        linked.LinkStripeCustomer("cus_new", Now);
        _accounts.Setup(a => a.LinkStripeCustomerAsync("u2", "cus_new", It.IsAny<CancellationToken>())).ReturnsAsync(linked);
        PriceExists("starter_monthly", "price_starter");
        _gateway.Setup(g => g.CreateCheckoutSessionAsync(It.IsAny<NewCheckoutSession>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<CheckoutSessionCreated>.Success(new CheckoutSessionCreated("cs_2", "u", DateTimeOffset.UtcNow.AddHours(1))));

        var result = await Handler().Handle(new CreateCheckoutSession("u2", "u2@example.com", "starter", "monthly"), default);

        Assert.That(result.IsSuccess, Is.True);
        _customers.Verify(g => g.CreateCustomerAsync(It.Is<NewCustomer>(c => c.UserId == "u2" && c.IdempotencyKey == "billing-customer-u2"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task A_catalog_missing_from_Stripe_is_reported_as_not_configured()
    {
        AccountWithCustomer();
        _catalog.Setup(g => g.FindPricesByLookupKeysAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<GatewayPrice>>.Success([]));

        var result = await Handler().Handle(new CreateCheckoutSession("u1", "u1@example.com", "starter", "monthly"), default);

        Assert.That(result.Error!.Kind, Is.EqualTo(ErrorKind.NotConfigured));
        Assert.That(result.Error.Detail, Does.Contain("catalog sync"));
    }

    [Test]
    public async Task An_open_session_for_the_same_choice_is_handed_out_again_without_asking_Stripe()
    {
        var account = AccountWithCustomer();
        account.RecordOpenCheckout(new OpenCheckout("cs_open", Tier.Starter, BillingCycle.Monthly, "https://checkout/cs_open", DateTimeOffset.UtcNow.AddMinutes(50)));

        var result = await Handler().Handle(new CreateCheckoutSession("u1", "u1@example.com", "starter", "monthly"), default);

        Assert.That(result.Value, Is.EqualTo(new CheckoutSessionView("https://checkout/cs_open", "cs_open")));
        _gateway.Verify(g => g.CreateCheckoutSessionAsync(It.IsAny<NewCheckoutSession>(), It.IsAny<CancellationToken>()), Times.Never);
        _gateway.Verify(g => g.ExpireCheckoutSessionAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Another_choice_expires_the_open_session_before_opening_one_that_lives_an_hour()
    {
        var account = AccountWithCustomer();
        account.RecordOpenCheckout(new OpenCheckout("cs_open", Tier.Starter, BillingCycle.Monthly, "https://checkout/cs_open", DateTimeOffset.UtcNow.AddMinutes(50)));
        PriceExists("professional_monthly", "price_pro");
        var order = new List<string>();
        NewCheckoutSession? sent = null;
        _gateway.Setup(g => g.ExpireCheckoutSessionAsync("cs_open", It.IsAny<CancellationToken>())).Callback(() => order.Add("expire")).ReturnsAsync(Result<bool>.Success(true));
        _gateway.Setup(g => g.CreateCheckoutSessionAsync(It.IsAny<NewCheckoutSession>(), It.IsAny<CancellationToken>()))
            .Callback<NewCheckoutSession, CancellationToken>((s, _) =>
            {
                sent = s;
                order.Add("create");
            })
            .ReturnsAsync(Result<CheckoutSessionCreated>.Success(new CheckoutSessionCreated("cs_new", "https://checkout/cs_new", DateTimeOffset.UtcNow.AddHours(1))));

        var result = await Handler().Handle(new CreateCheckoutSession("u1", "u1@example.com", "professional", "monthly"), default);

        Assert.That(result.Value.SessionId, Is.EqualTo("cs_new"));
        Assert.That(order, Is.EqualTo(new[] { "expire", "create" }));
        Assert.That(sent!.ExpiresAt, Is.EqualTo(DateTimeOffset.UtcNow.AddHours(1)).Within(TimeSpan.FromMinutes(1)));
        Assert.That(account.OpenCheckout!.SessionId, Is.EqualTo("cs_new"));
    }

    [Test]
    public async Task An_open_session_paid_a_moment_ago_is_a_conflict_and_no_second_session_is_opened()
    {
        var account = AccountWithCustomer();
        account.RecordOpenCheckout(new OpenCheckout("cs_paid", Tier.Starter, BillingCycle.Monthly, "https://checkout/cs_paid", DateTimeOffset.UtcNow.AddMinutes(50)));
        _gateway.Setup(g => g.ExpireCheckoutSessionAsync("cs_paid", It.IsAny<CancellationToken>())).ReturnsAsync(Result<bool>.Success(false));

        var result = await Handler().Handle(new CreateCheckoutSession("u1", "u1@example.com", "professional", "monthly"), default);

        Assert.That(result.Error!.Code, Is.EqualTo("checkout_completed"));
        _gateway.Verify(g => g.CreateCheckoutSessionAsync(It.IsAny<NewCheckoutSession>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [TestCase("professional", "yearly", true)]
    [TestCase("trial", "yearly", false)]
    [TestCase("gold", "monthly", false)]
    [TestCase("starter", "weekly", false)]
    [TestCase(null, "monthly", false)]
    [TestCase("starter", null, false)]
    public void The_plan_choice_is_read_once_against_the_catalog(string? tier, string? cycle, bool valid)
    {
        var result = TestCatalog.Create().Choose(tier, cycle, "tier_id");

        Assert.That(result.IsSuccess, Is.EqualTo(valid), result.Error?.Detail);
        Assert.That(result.Error?.Kind ?? ErrorKind.Validation, Is.EqualTo(ErrorKind.Validation));
    }

    [Test]
    public async Task An_invalid_plan_choice_reaches_no_port()
    {
        var result = await Handler().Handle(new CreateCheckoutSession("u1", "u1@example.com", "gold", "monthly"), default);

        Assert.That(result.Error!.Field, Is.EqualTo("tier_id"));
        _accounts.VerifyNoOtherCalls();
        _gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Run_again_after_a_concurrent_change_it_sends_Stripe_the_very_same_request_under_its_key()
    {
        // Each run reads the account afresh, as a run again after a discarded change does.
        _accounts.Setup(a => a.GetOrOpenAsync("u1", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(() =>
        {
            var fresh = BillingAccount.Open("u1", "u1@example.com", Now);
            fresh.LinkStripeCustomer("cus_1", Now);
            return fresh;
        });
        PriceExists("professional_yearly", "price_pro_year");
        var sent = new List<NewCheckoutSession>();
        _gateway.Setup(g => g.CreateCheckoutSessionAsync(It.IsAny<NewCheckoutSession>(), It.IsAny<CancellationToken>()))
            .Callback<NewCheckoutSession, CancellationToken>((s, _) => sent.Add(s))
            .ReturnsAsync(Result<CheckoutSessionCreated>.Success(new CheckoutSessionCreated("cs_1", "https://checkout/cs_1", DateTimeOffset.UtcNow.AddHours(1))));
        var command = new CreateCheckoutSession("u1", "u1@example.com", "professional", "yearly", "key-1", RequestedAt: Now);

        await Handler().Handle(command, default);
        await Task.Delay(1100);
        await Handler().Handle(command, default);

        Assert.That(sent, Has.Count.EqualTo(2));
        Assert.That(sent[1] with { PaymentMethodTypes = null }, Is.EqualTo(sent[0] with { PaymentMethodTypes = null }), "the expiry is counted from the request, not from each run, so Stripe replays its answer");
        Assert.That(sent[1].PaymentMethodTypes, Is.EqualTo(sent[0].PaymentMethodTypes));
        Assert.That(sent[0].ExpiresAt, Is.EqualTo(Now + TestCatalog.Options().Value.CheckoutSessionLifetime));
    }

    [Test]
    public async Task An_organizations_checkout_bills_the_seats_asked_for_under_the_organizations_account()
    {
        AccountWithCustomer("org:acme");
        PriceExists("professional_yearly", "price_pro_year");
        _organizations.Setup(o => o.CountMembersAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(Result<int>.Success(3));
        NewCheckoutSession? sent = null;
        _gateway.Setup(g => g.CreateCheckoutSessionAsync(It.IsAny<NewCheckoutSession>(), It.IsAny<CancellationToken>()))
            .Callback<NewCheckoutSession, CancellationToken>((s, _) => sent = s)
            .ReturnsAsync(Result<CheckoutSessionCreated>.Success(new CheckoutSessionCreated("cs_1", "https://checkout/cs_1", DateTimeOffset.UtcNow.AddHours(1))));
        var manager = new OrganizationCaller("acme", "u1", ["billing-org-admin"]);

        var result = await Handler().Handle(new CreateCheckoutSession("org:acme", "u1@example.com", "professional", "yearly", "key-1", Seats: 5, Organization: manager), default);

        Assert.That(result.IsSuccess, Is.True);
        Assert.That((sent!.UserId, sent.Seats, sent.IdempotencyKey), Is.EqualTo(("org:acme", 5, "billing-checkout-org:acme-key-1")));
    }

    [Test]
    public async Task Fewer_seats_than_members_is_refused_before_anything_is_made_in_Stripe()
    {
        _organizations.Setup(o => o.CountMembersAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(Result<int>.Success(3));
        var manager = new OrganizationCaller("acme", "u1", ["billing-org-admin"]);

        var result = await Handler().Handle(new CreateCheckoutSession("org:acme", "u1@example.com", "professional", "yearly", Seats: 2, Organization: manager), default);

        Assert.That(result.Error!.Code, Is.EqualTo("seats_below_members"));
        _customers.VerifyNoOtherCalls();
        _gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task SEPA_debit_in_dollars_is_refused_before_a_Stripe_customer_or_session_is_made()
    {
        var options = TestCatalog.Options();
        options.Value.Checkout.PaymentMethodTypes = "card,sepa_debit";
        var account = BillingAccount.Open("u2", "u2@example.com", Now);
        _accounts.Setup(a => a.GetOrOpenAsync("u2", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync(account);
        var handler = new CreateCheckoutSessionHandler(TestCatalog.Create(), new PaymentCustomers(_accounts.Object, _customers.Object), new PlanPrices(_catalog.Object), new Billing.Application.Promotions.PromotionCodeCheck(_catalog.Object, TestCatalog.Create(), TimeProvider.System), _gateway.Object, Seats(), TimeProvider.System, options);

        var result = await handler.Handle(new CreateCheckoutSession("u2", "u2@example.com", "professional", "monthly", PaymentMethodTypes: ["sepa_debit"]), default);

        Assert.That(result.Error!.Code, Is.EqualTo("payment_method_not_available"));
        _customers.VerifyNoOtherCalls();
        _gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_checkout_offers_the_configured_ways_to_pay_that_take_its_currency()
    {
        var options = TestCatalog.Options();
        options.Value.Checkout.PaymentMethodTypes = "card, sepa_debit";
        AccountWithCustomer();
        PriceExists("professional_monthly", "price_pro_month");
        NewCheckoutSession? sent = null;
        _gateway.Setup(g => g.CreateCheckoutSessionAsync(It.IsAny<NewCheckoutSession>(), It.IsAny<CancellationToken>()))
            .Callback<NewCheckoutSession, CancellationToken>((s, _) => sent = s)
            .ReturnsAsync(Result<CheckoutSessionCreated>.Success(new CheckoutSessionCreated("cs_1", "https://checkout/cs_1", DateTimeOffset.UtcNow.AddHours(1))));
        var handler = new CreateCheckoutSessionHandler(TestCatalog.Create(), new PaymentCustomers(_accounts.Object, _customers.Object), new PlanPrices(_catalog.Object), new Billing.Application.Promotions.PromotionCodeCheck(_catalog.Object, TestCatalog.Create(), TimeProvider.System), _gateway.Object, Seats(), TimeProvider.System, options);

        await handler.Handle(new CreateCheckoutSession("u1", "u1@example.com", "professional", "monthly"), default);

        Assert.That(sent!.PaymentMethodTypes, Is.EqualTo(new[] { "card" }), "the catalog is in dollars: SEPA Direct Debit takes euros only");
    }
}

public sealed class UrlsTests
{
    [TestCase("https://a.example/done", "https://a.example/done?session_id=X")]
    [TestCase("https://a.example/done?from=spa", "https://a.example/done?from=spa&session_id=X")]
    [TestCase("https://a.example/done?", "https://a.example/done?session_id=X")]
    [TestCase("https://a.example/done?a=1&", "https://a.example/done?a=1&session_id=X")]
    [TestCase("https://a.example/#/done", "https://a.example/?session_id=X#/done")]
    public void A_query_pair_is_joined_whatever_the_url_holds(string url, string expected) =>
        Assert.That(Billing.Application.Common.Urls.WithQuery(url, "session_id=X"), Is.EqualTo(expected));

}
