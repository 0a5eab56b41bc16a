using Billing.Application.Catalog;
using Billing.Application.Common.Results;
using Billing.Application.Organizations;
using Billing.Application.Ports;
using Billing.Domain.Plans;
using Moq;

namespace Billing.Application.Tests.Organizations;

/// <summary>Seats: never fewer than the members, within the tier's bounds, or the member count when they follow it.</summary>
public sealed class SeatPolicyTests
{
    private Mock<IOrganizationDirectory> _directory = null!;

    [SetUp]
    public void FreshMocks() => _directory = new Mock<IOrganizationDirectory>();

    private SeatPolicy Policy(int members, bool followMembers = false)
    {
        _directory.Setup(d => d.CountMembersAsync("acme", It.IsAny<CancellationToken>())).ReturnsAsync(Result<int>.Success(members));
        var catalog = new PlanCatalog(new PlanCatalogOptions
        {
            Currency = "usd",
            Tiers = new(StringComparer.OrdinalIgnoreCase)
            {
                ["starter"] = new TierDefinition { Prices = new() { ["monthly"] = 1900 } },
                ["enterprise"] = new TierDefinition { Prices = new() { ["monthly"] = 9900 }, MinSeats = 5, MaxSeats = 20 },
            },
        });
        var options = TestCatalog.Options();
        options.Value.Organizations.SeatsFollowMembers = followMembers;
        return new SeatPolicy(_directory.Object, catalog, options);
    }

    [Test]
    public async Task Without_an_answer_the_seats_are_the_member_count_and_never_below_the_tiers_least()
    {
        Assert.That((await Policy(members: 3).DecideAsync("acme", Tier.Starter, null, default)).Value.Seats, Is.EqualTo(3));
        Assert.That((await Policy(members: 3).DecideAsync("acme", Tier.Enterprise, null, default)).Value.Seats, Is.EqualTo(5));
    }

    [Test]
    public async Task Fewer_seats_than_members_is_a_conflict_and_seats_out_of_the_tiers_bounds_invalid()
    {
        var below = await Policy(members: 4).DecideAsync("acme", Tier.Starter, 3, default);
        var under = await Policy(members: 2).DecideAsync("acme", Tier.Enterprise, 4, default);
        var over = await Policy(members: 2).DecideAsync("acme", Tier.Enterprise, 21, default);
        var within = await Policy(members: 2).DecideAsync("acme", Tier.Enterprise, 20, default);

        Assert.That((below.Error!.Kind, below.Error.Code), Is.EqualTo((ErrorKind.Conflict, "seats_below_members")));
        Assert.That((under.Error!.Kind, under.Error.Code), Is.EqualTo((ErrorKind.Validation, "seats_out_of_range")));
        Assert.That(over.Error!.Code, Is.EqualTo("seats_out_of_range"));
        Assert.That(within.Value, Is.EqualTo(new SeatCount(20, 2, 5, 20)));
    }

    [Test]
    public async Task Seats_that_follow_the_members_are_the_member_count_and_another_number_is_refused()
    {
        var followed = await Policy(members: 7, followMembers: true).DecideAsync("acme", Tier.Starter, null, default);
        var same = await Policy(members: 7, followMembers: true).DecideAsync("acme", Tier.Starter, 7, default);
        var other = await Policy(members: 7, followMembers: true).DecideAsync("acme", Tier.Starter, 9, default);

        Assert.That((followed.Value.Seats, same.Value.Seats), Is.EqualTo((7, 7)));
        Assert.That(other.Error!.Code, Is.EqualTo("seats_follow_members"));
    }

    [Test]
    public async Task A_member_count_keycloak_cannot_give_fails_the_decision()
    {
        _directory.Setup(d => d.CountMembersAsync("acme", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<int>.Failure(Error.NotFound("organization_not_found", "Keycloak has no such organization.")));
        var catalog = TestCatalog.Create();

        var decided = await new SeatPolicy(_directory.Object, catalog, TestCatalog.Options()).DecideAsync("acme", Tier.Starter, 3, default);

        Assert.That(decided.Error!.Code, Is.EqualTo("organization_not_found"));
    }
}
