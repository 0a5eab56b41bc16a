using Billing.Application.Accounts;
using Billing.Application.Common.Results;
using Billing.Application.Organizations;
using Billing.Application.Organizations.Seats;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Organizations;

/// <summary>An organization's seats: read by any member, changed in one Stripe update, and left alone when right.</summary>
public sealed class OrganizationSeatsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly OrganizationCaller Manager = new("acme", "u1", ["billing-org-admin"]);
    private Mock<IBillingAccountRepository> _accounts = null!;
    private Mock<ISubscriptionGateway> _gateway = null!;
    private Mock<IOrganizationDirectory> _directory = null!;

    [SetUp]
    public void FreshMocks()
    {
        _accounts = new Mock<IBillingAccountRepository>();
        _gateway = new Mock<ISubscriptionGateway>();
        _directory = new Mock<IOrganizationDirectory>();
    }

    private static Microsoft.Extensions.Options.IOptions<Billing.Application.Common.BillingOptions> Options(bool followMembers)
    {
        var options = TestCatalog.Options();
        options.Value.Organizations.SeatsFollowMembers = followMembers;
        return options;
    }

    private SeatPolicy Policy(bool followMembers = false) => new(_directory.Object, TestCatalog.Create(), Options(followMembers));

    private ChangeOrganizationSeatsHandler Handler(bool followMembers = false)
    {
        var options = Options(followMembers);
        var changes = new SubscriptionChanges(new SubscriptionTranslator(TestCatalog.Create()), new FakeTimeProvider(Now), options);
        return new(_accounts.Object, new TeamSeats(_gateway.Object, new SeatPolicy(_directory.Object, TestCatalog.Create(), options), changes, options), new FakeTimeProvider(Now), options);
    }

    private void Members(int count) =>
        _directory.Setup(d => d.CountMembersAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(Result<int>.Success(count));

    private BillingAccount Subscribed(int seats)
    {
        var account = BillingAccount.Open("org:acme", "u1@example.com", Now.AddDays(-10));
        account.LinkStripeCustomer("cus_1", Now.AddDays(-10));
        account.ApplySubscription(new SubscriptionSnapshot("sub_1", "cus_1", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 4900 * seats, "usd", Seats: seats), Now.AddDays(-10));
        _accounts.Setup(a => a.FindAsync("org:acme", It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    private static GatewaySubscription InStripe(int seats) =>
        new("sub_1", "cus_1", "active", Now.AddDays(-10), "si_1", "price_pro", "professional_monthly", "billing_professional", "professional", BillingCycle.Monthly, null, 4900L * seats, "usd", Now.AddDays(-10), Now.AddDays(20), false, new Dictionary<string, string>(), ObservedAt: Now, Quantity: seats);

    [Test]
    public async Task New_seats_are_one_stripe_update_of_the_items_quantity_and_the_account_follows_the_answer()
    {
        var account = Subscribed(seats: 3);
        Members(3);
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(InStripe(3)));
        SeatChange? sent = null;
        _gateway.Setup(g => g.ChangeSeatsAsync(It.IsAny<SeatChange>(), It.IsAny<CancellationToken>()))
            .Callback<SeatChange, CancellationToken>((c, _) => sent = c)
            .ReturnsAsync(Result<GatewaySubscription>.Success(InStripe(5)));

        var status = await Handler().Handle(new ChangeOrganizationSeats("org:acme", 5, Manager), default);

        Assert.That(status.Value.Seats, Is.EqualTo(5));
        Assert.That(sent, Is.EqualTo(new SeatChange("sub_1", "si_1", 5, "create_prorations", $"billing-seats-org:acme-v{account.Version}-5")));
        Assert.That(account.PendingEvents.OfType<Billing.Domain.Accounts.Events.SubscriptionSeatsChanged>().Single(), Has.Property("From").EqualTo(3).And.Property("To").EqualTo(5));
    }

    [Test]
    public async Task Two_askers_that_notice_the_same_new_member_send_stripe_one_keyed_update()
    {
        Subscribed(seats: 3);
        Members(4);
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(InStripe(3)));
        var keys = new List<string>();
        _gateway.Setup(g => g.ChangeSeatsAsync(It.IsAny<SeatChange>(), It.IsAny<CancellationToken>()))
            .Callback<SeatChange, CancellationToken>((c, _) => keys.Add(c.IdempotencyKey))
            .ReturnsAsync(Result<GatewaySubscription>.Success(InStripe(4)));

        // A sync and a delivery load the same stored account; each asks for the member count.
        await Handler(followMembers: true).Handle(new ChangeOrganizationSeats("org:acme", null, Manager), default);
        Subscribed(seats: 3);
        await Handler(followMembers: true).Handle(new ChangeOrganizationSeats("org:acme", null, Manager), default);

        Assert.That(keys, Has.Count.EqualTo(2));
        Assert.That(keys.Distinct().Count(), Is.EqualTo(1), "Stripe replays the second to the first: one change of quantity");
    }

    [Test]
    public async Task Seats_that_are_right_already_ask_stripe_nothing()
    {
        Subscribed(seats: 4);
        Members(4);

        var status = await Handler(followMembers: true).Handle(new ChangeOrganizationSeats("org:acme", null, Manager), default);

        Assert.That(status.Value.Seats, Is.EqualTo(4));
        _gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_sync_follows_the_members_in_one_update_however_many_joined()
    {
        Subscribed(seats: 3);
        Members(6);
        _gateway.Setup(g => g.GetSubscriptionAsync("sub_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(InStripe(3)));
        _gateway.Setup(g => g.ChangeSeatsAsync(It.Is<SeatChange>(c => c.Seats == 6), It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(InStripe(6)));

        var status = await Handler(followMembers: true).Handle(new ChangeOrganizationSeats("org:acme", null, Manager), default);

        Assert.That(status.Value.Seats, Is.EqualTo(6));
        _gateway.Verify(g => g.ChangeSeatsAsync(It.IsAny<SeatChange>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task A_sync_where_managers_set_the_seats_is_refused()
    {
        var result = await Handler(followMembers: false).Handle(new ChangeOrganizationSeats("org:acme", null, Manager), default);

        Assert.That(result.Error!.Code, Is.EqualTo("seats_set_by_managers"));
        _accounts.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Without_a_live_subscription_there_are_no_seats_to_change()
    {
        _accounts.Setup(a => a.FindAsync("org:acme", It.IsAny<CancellationToken>())).ReturnsAsync(BillingAccount.Open("org:acme", string.Empty, Now));

        var result = await Handler().Handle(new ChangeOrganizationSeats("org:acme", 5, Manager), default);

        Assert.That(result.Error!.Code, Is.EqualTo("subscription_not_found"));
        _gateway.VerifyNoOtherCalls();
    }

    [Test]
    public async Task The_seats_read_say_what_is_billed_the_members_now_and_the_tiers_bounds()
    {
        Subscribed(seats: 5);
        Members(4);

        var view = (await new GetOrganizationSeatsHandler(_accounts.Object, _directory.Object, TestCatalog.Create(), Policy()).Handle(new GetOrganizationSeats("org:acme", Manager), default)).Value;

        Assert.That(view, Is.EqualTo(new SeatsView(5, 4, 1, null, false)));
    }
}
