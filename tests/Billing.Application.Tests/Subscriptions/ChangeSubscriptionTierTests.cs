using Billing.Application.Common;
using Billing.Application.Accounts;
using Billing.Application.Catalog;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Application.Subscriptions.ChangeTier;
using Billing.Application.Subscriptions.ScheduledChanges;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Subscriptions;

/// <summary>Changing tier: the price by lookup key, the tier in metadata in the same call, what Stripe answered applied.</summary>
public sealed class ChangeSubscriptionTierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<ISubscriptionGateway> _gateway = null!;
    private Mock<ICatalogGateway> _catalog = null!;
    private Mock<ISubscriptionScheduleGateway> _schedules = null!;

    [SetUp]
    public void FreshMocks()
    {
        _accounts = new Mock<IBillingAccountRepository>();
        _gateway = new Mock<ISubscriptionGateway>();
        _catalog = new Mock<ICatalogGateway>();
        _schedules = new Mock<ISubscriptionScheduleGateway>(MockBehavior.Strict);
    }

    private ChangeSubscriptionTierHandler Handler(string proration = "create_prorations", string downgrades = BillingOptions.DowngradesAtPeriodEnd) =>
        Handler(TestCatalog.Create(), Options.Create(new BillingOptions { ProrationBehavior = proration, Downgrades = downgrades }));

    private ChangeSubscriptionTierHandler Handler(PlanCatalog catalog, IOptions<BillingOptions> options)
    {
        var clock = new FakeTimeProvider(Now);
        var planner = new TierChangePlanner(catalog, _accounts.Object, _gateway.Object, new PlanPrices(_catalog.Object), clock, options);
        return new ChangeSubscriptionTierHandler(planner, _gateway.Object, _schedules.Object, new ScheduledChangeRelease(_schedules.Object, clock), new SubscriptionChanges(new SubscriptionTranslator(catalog), clock, options), clock, options);
    }

    private BillingAccount OnStarter()
    {
        var account = BillingAccount.Open("u1", "u1@example.com", Now.AddDays(-10));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-10));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 1900, "usd"), Now.AddDays(-10));
        _accounts.Setup(a => a.FindAsync("u1", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Stripe("starter")));
        return account;
    }

    private static GatewaySubscription Stripe(string tier, BillingCycle interval = BillingCycle.Monthly) =>
        new("sub_1", "cus_1", "active", Now.AddDays(-10), "si_1", $"price_{tier}", null, $"billing_{tier}", tier, interval, null, 4900, "usd", Now.AddDays(-10), Now.AddDays(20), false, new Dictionary<string, string>());

    private void PriceExists(string lookupKey, string id) =>
        _catalog.Setup(g => g.FindPricesByLookupKeysAsync(It.Is<IReadOnlyCollection<string>>(k => k.Single() == lookupKey), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<GatewayPrice>>.Success([new GatewayPrice(id, "prod", lookupKey, 4900, "usd", BillingCycle.Monthly, true, new Dictionary<string, string>())]));

    [Test]
    public async Task An_upgrade_sends_the_new_price_and_tier_metadata_in_one_call_and_applies_Stripes_answer()
    {
        var account = OnStarter();
        PriceExists("professional_monthly", "price_pro");
        SubscriptionPriceChange? sent = null;
        _gateway.Setup(g => g.ChangeSubscriptionPriceAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<CancellationToken>()))
            .Callback<SubscriptionPriceChange, CancellationToken>((c, _) => sent = c)
            .ReturnsAsync(Result<GatewaySubscription>.Success(Stripe("professional")));

        var result = await Handler().Handle(new ChangeSubscriptionTier("u1", "professional", "monthly", "key-1"), default);

        Assert.That(result.Value.TierId, Is.EqualTo("professional"));
        Assert.That(account.Tier, Is.EqualTo(Tier.Professional));
        Assert.That(sent!.NewPriceId, Is.EqualTo("price_pro"));
        Assert.That(sent.ItemId, Is.EqualTo("si_1"));
        Assert.That(sent.ProrationBehavior, Is.EqualTo("create_prorations"));
        Assert.That(sent.Metadata["tier"], Is.EqualTo("professional"));
        Assert.That(sent.IdempotencyKey, Is.EqualTo("billing-change-u1-key-1"));
    }

    [Test]
    public async Task Run_again_after_a_concurrent_change_it_finds_its_own_change_made_and_answers_Stripes_state_without_a_second_change()
    {
        var account = OnStarter();
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), true, 4900, "usd"), Now.AddSeconds(-1));
        var held = Stripe("professional") with { CancelAtPeriodEnd = true, Metadata = new Dictionary<string, string> { [SubscriptionChangeRequest.MetadataKey] = "billing-change-u1-key-1" } };
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(held));

        var result = await Handler().Handle(new ChangeSubscriptionTier("u1", "professional", "monthly", "key-1"), default);
        var other = await Handler().Handle(new ChangeSubscriptionTier("u1", "professional", "monthly", "key-2"), default);

        Assert.That(result.IsSuccess, Is.True);
        Assert.That(result.Value.CancelAtPeriodEnd, Is.True, "Stripe's state now, with the cancel that won the race");
        Assert.That(other.Error!.Code, Is.EqualTo("same_plan"), "another request for the same plan is still refused");
        _gateway.Verify(g => g.ChangeSubscriptionPriceAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task The_same_plan_is_a_conflict_and_no_subscription_is_not_found_both_without_a_change_in_Stripe()
    {
        OnStarter();
        var same = await Handler().Handle(new ChangeSubscriptionTier("u1", "starter", "monthly"), default);
        var nobody = await Handler().Handle(new ChangeSubscriptionTier("u2", "starter", "monthly"), default);

        Assert.That(same.Error!.Code, Is.EqualTo("same_plan"));
        Assert.That(nobody.Error!.Kind, Is.EqualTo(ErrorKind.NotFound));
        _gateway.Verify(g => g.ChangeSubscriptionPriceAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task A_declined_card_on_an_immediately_charged_change_leaves_the_account_as_it_was()
    {
        var account = OnStarter();
        PriceExists("professional_monthly", "price_pro");
        _gateway.Setup(g => g.ChangeSubscriptionPriceAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<GatewaySubscription>.Failure(new Error(ErrorKind.PaymentDeclined, "card_declined", "Your card was declined.")));

        var result = await Handler("always_invoice").Handle(new ChangeSubscriptionTier("u1", "professional", "monthly"), default);

        Assert.That(result.Error!.Kind, Is.EqualTo(ErrorKind.PaymentDeclined));
        Assert.That(account.Tier, Is.EqualTo(Tier.Starter));
    }

    [Test]
    public async Task An_unknown_tier_is_refused_before_any_port_is_asked()
    {
        var result = await Handler().Handle(new ChangeSubscriptionTier("u1", "gold", "monthly"), default);

        Assert.That(result.Error!.Field, Is.EqualTo("new_tier_id"));
        _accounts.VerifyNoOtherCalls();
        _gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_team_moves_only_to_a_tier_that_sells_its_seats_and_the_change_names_the_organization()
    {
        var catalog = new PlanCatalog(new PlanCatalogOptions
        {
            Currency = "usd",
            Tiers = new(StringComparer.OrdinalIgnoreCase)
            {
                ["starter"] = new TierDefinition { Prices = new() { ["monthly"] = 1900 } },
                ["professional"] = new TierDefinition { Prices = new() { ["monthly"] = 4900 }, MaxSeats = 10 },
                ["enterprise"] = new TierDefinition { Prices = new() { ["monthly"] = 9900 } },
            },
        });
        var options = Options.Create(new BillingOptions());
        var handler = Handler(catalog, options);
        var team = BillingAccount.Open("org:acme", "manager@example.com", Now.AddDays(-10));
        team.LinkStripeCustomer("cus_1", Now.AddDays(-10));
        team.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Starter, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 1900 * 12, "usd", Seats: 12), Now.AddDays(-10));
        _accounts.Setup(a => a.FindAsync("org:acme", It.IsAny<CancellationToken>())).ReturnsAsync(team);
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(Stripe("starter")));
        PriceExists("enterprise_monthly", "price_ent");
        SubscriptionPriceChange? sent = null;
        _gateway.Setup(g => g.ChangeSubscriptionPriceAsync(It.IsAny<SubscriptionPriceChange>(), It.IsAny<CancellationToken>()))
            .Callback<SubscriptionPriceChange, CancellationToken>((c, _) => sent = c)
            .ReturnsAsync(Result<GatewaySubscription>.Success(Stripe("enterprise")));

        var tooMany = await handler.Handle(new ChangeSubscriptionTier("org:acme", "professional", "monthly", "key-1"), default);
        var moved = await handler.Handle(new ChangeSubscriptionTier("org:acme", "enterprise", "monthly", "key-2"), default);

        Assert.That(tooMany.Error!.Code, Is.EqualTo("seats_out_of_range"));
        Assert.That(moved.IsSuccess, Is.True);
        Assert.That(sent!.Metadata, Does.ContainKey("keycloak_organization_id").WithValue("acme").And.Not.ContainKey("keycloak_user_id"));
    }
}
