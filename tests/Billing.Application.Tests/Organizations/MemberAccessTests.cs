using Billing.Application.Common.Results;
using Billing.Application.Organizations;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Billing.Application.Tests.Organizations;

/// <summary>A user's access is the higher of their own and their teams'; a team's change reaches its members and leavers.</summary>
public sealed class MemberAccessTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private Mock<IIdentityDirectory> _identity = null!;
    private Mock<IOrganizationDirectory> _organizations = null!;
    private Mock<IBillingAccountRepository> _accounts = null!;
    private List<AccountState> _written = null!;

    [SetUp]
    public void FreshMocks()
    {
        _identity = new Mock<IIdentityDirectory>();
        _organizations = new Mock<IOrganizationDirectory>();
        _accounts = new Mock<IBillingAccountRepository>();
        _written = [];
        _identity.Setup(i => i.PublishAsync(It.IsAny<AccountState>(), It.IsAny<CancellationToken>()))
            .Callback<AccountState, CancellationToken>((s, _) => _written.Add(s))
            .ReturnsAsync(Result<string>.Success("written"));
    }

    private MemberAccess Access(bool enabled = true)
    {
        var options = TestCatalog.Options();
        options.Value.Organizations.Enabled = enabled;
        return new MemberAccess(_identity.Object, _organizations.Object, _accounts.Object, TestCatalog.TeamSeats(_organizations.Object, options), TestCatalog.Create(), new FakeTimeProvider(Now), options);
    }

    private BillingAccount Account(string key, Tier? tier, SubscriptionStatus status = SubscriptionStatus.Active)
    {
        var account = BillingAccount.Open(key, string.Empty, Now.AddDays(-20));
        if (tier is { } held)
        {
            account.LinkStripeCustomer($"cus_{key}", Now.AddDays(-20));
            account.ApplySubscription(new SubscriptionSnapshot($"sub_{key}", $"cus_{key}", status, held, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 1900, "usd"), Now.AddDays(-10));
        }

        _accounts.Setup(a => a.FindAsync(key, It.IsAny<CancellationToken>())).ReturnsAsync(account);
        return account;
    }

    private void Teams(string userId, params string[] organizations) =>
        _organizations.Setup(o => o.OrganizationsOfAsync(userId, It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlyList<OrganizationSummary>>.Success([.. organizations.Select(o => new OrganizationSummary(o, o))]));

    [Test]
    public async Task A_member_gets_the_higher_tier_of_their_teams_and_learns_which_team_gives_it()
    {
        var own = Account("u1", Tier.Starter);
        Account("org:small", Tier.Starter);
        Account("org:big", Tier.Professional);
        Teams("u1", "small", "big");

        var access = (await Access().StateOfAsync(own, null, default)).Value;

        Assert.That((access.Tier, access.Status, access.BillingOrganizationId), Is.EqualTo(("professional", "active", "big")));
        Assert.That(access.StripeSubscriptionId, Is.EqualTo("sub_u1"), "their own subscription is still theirs");
    }

    [Test]
    public async Task A_member_who_pays_more_themselves_keeps_their_own_and_an_ended_team_gives_nothing()
    {
        var payer = Account("u1", Tier.Enterprise);
        var lapsed = Account("u2", tier: null);
        Account("org:acme", Tier.Professional);
        Account("org:gone", Tier.Enterprise, SubscriptionStatus.Canceled);
        Teams("u1", "acme");
        Teams("u2", "gone");

        var kept = (await Access().StateOfAsync(payer, null, default)).Value;
        var none = (await Access().StateOfAsync(lapsed, null, default)).Value;

        Assert.That((kept.Tier, kept.BillingOrganizationId), Is.EqualTo(("enterprise", (string?)null)));
        Assert.That((none.Tier, none.Status, none.BillingOrganizationId), Is.EqualTo(("trial", "none", (string?)null)));
    }

    [Test]
    public async Task Where_teams_are_not_billed_a_users_access_is_their_own_and_keycloaks_organizations_are_not_asked()
    {
        var own = Account("u1", Tier.Starter);

        var access = (await Access(enabled: false).StateOfAsync(own, null, default)).Value;

        Assert.That(access.Tier, Is.EqualTo("starter"));
        _organizations.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_teams_change_is_written_on_it_then_as_the_access_of_each_member_and_of_each_who_left()
    {
        var team = Account("org:acme", Tier.Professional);
        _organizations.Setup(o => o.MemberIdsAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlyList<string>>.Success(["m1", "m2"]));
        _organizations.Setup(o => o.UsersWithAccessFromAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlyList<string>>.Success(["m2", "left"]));
        Teams("m1", "acme");
        Teams("m2", "acme");
        Teams("left");

        var published = await Access().PublishAsync(team, default);

        Assert.That(published.IsSuccess, Is.True);
        Assert.That(_written.Select(s => (s.UserId, s.Tier, s.BillingOrganizationId)), Is.EqualTo(new[]
        {
            ("org:acme", "professional", (string?)null),
            ("m1", "professional", "acme"),
            ("m2", "professional", "acme"),
            ("left", "trial", (string?)null),
        }));
    }

    [Test]
    public async Task A_member_keycloak_refuses_fails_the_delivery_so_it_is_tried_again()
    {
        var team = Account("org:acme", Tier.Professional);
        _organizations.Setup(o => o.MemberIdsAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlyList<string>>.Success(["m1"]));
        _organizations.Setup(o => o.UsersWithAccessFromAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlyList<string>>.Success([]));
        _organizations.Setup(o => o.OrganizationsOfAsync("m1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<OrganizationSummary>>.Failure(new Error(ErrorKind.UpstreamUnavailable, "keycloak_unavailable", "Keycloak answered 503.")));

        var published = await Access().PublishAsync(team, default);

        Assert.That(published.Error!.Code, Is.EqualTo("keycloak_unavailable"));
    }

    [Test]
    public async Task With_seats_that_follow_the_members_a_teams_delivery_catches_its_seats_up_in_one_stripe_update()
    {
        var options = TestCatalog.Options();
        options.Value.Organizations.Enabled = true;
        options.Value.Organizations.SeatsFollowMembers = true;
        var team = Account("org:acme", Tier.Professional);
        team.ApplySubscription(new SubscriptionSnapshot("sub_org:acme", "cus_org:acme", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Monthly, Now.AddDays(-10), Now.AddDays(20), false, 1900 * 3, "usd", Seats: 3), Now.AddDays(-9));
        _organizations.Setup(o => o.CountMembersAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(Result<int>.Success(4));
        _organizations.Setup(o => o.MemberIdsAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlyList<string>>.Success([]));
        _organizations.Setup(o => o.UsersWithAccessFromAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlyList<string>>.Success([]));
        var gateway = new Mock<ISubscriptionGateway>();
        GatewaySubscription InStripe(int seats) => new("sub_org:acme", "cus_org:acme", "active", Now.AddDays(-10), "si_1", "price_pro", "professional_monthly", "billing_professional", "professional", BillingCycle.Monthly, null, 4900L * seats, "usd", Now.AddDays(-10), Now.AddDays(20), false, new Dictionary<string, string>(), ObservedAt: Now, Quantity: seats);
        gateway.Setup(g => g.GetSubscriptionAsync("sub_org:acme", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(InStripe(3)));
        gateway.Setup(g => g.ChangeSeatsAsync(It.Is<SeatChange>(c => c.Seats == 4), It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewaySubscription>.Success(InStripe(4)));
        var access = new MemberAccess(_identity.Object, _organizations.Object, _accounts.Object, TestCatalog.TeamSeats(_organizations.Object, options, gateway.Object), TestCatalog.Create(), new FakeTimeProvider(Now), options);

        var first = await access.PublishAsync(team, default);
        var second = await access.PublishAsync(team, default);

        Assert.That((first.IsSuccess, second.IsSuccess), Is.EqualTo((true, true)));
        Assert.That(team.Seats, Is.EqualTo(4));
        gateway.Verify(g => g.ChangeSeatsAsync(It.IsAny<SeatChange>(), It.IsAny<CancellationToken>()), Times.Once, "the second delivery finds the seats right");
    }
}
