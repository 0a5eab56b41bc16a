using Billing.Application.Common.Results;
using Billing.Application.Organizations;
using Billing.Application.Ports;
using Mediator;
using Moq;

namespace Billing.Application.Tests.Organizations;

/// <summary>Who may act on an organization's billing: members read, members with the role change, strangers learn nothing.</summary>
public sealed class OrganizationAccessBehaviourTests
{
    private const string Acme = "3f2b8c1a-6d4e-4a7b-9c2d-1e5f7a9b3c4d";
    private Mock<IOrganizationDirectory> _directory = null!;

    public sealed record Probe(OrganizationCaller? Organization, bool ChangesBilling) : ICommand<Result<string>>, IActsForOrganization;

    [SetUp]
    public void FreshMocks() => _directory = new Mock<IOrganizationDirectory>();

    private void Membership(string userId, OrganizationMembership membership) =>
        _directory.Setup(d => d.FindMembershipAsync(Acme, userId, It.IsAny<CancellationToken>())).ReturnsAsync(Result<OrganizationMembership>.Success(membership));

    private async Task<(Result<string> Result, bool Ran)> SendAsync(Probe probe, bool enabled = true)
    {
        var ran = false;
        var options = TestCatalog.Options();
        options.Value.Organizations.Enabled = enabled;
        var behaviour = new OrganizationAccessBehaviour<Probe, Result<string>>(_directory.Object, options);
        var result = await behaviour.Handle(probe, (_, _) =>
        {
            ran = true;
            return new ValueTask<Result<string>>("done");
        }, default);
        return (result, ran);
    }

    [Test]
    public async Task A_member_reads_and_a_member_with_the_billing_role_changes()
    {
        Membership("reader", OrganizationMembership.Member);
        Membership("manager", OrganizationMembership.Member);

        var read = await SendAsync(new Probe(new OrganizationCaller(Acme, "reader", []), ChangesBilling: false));
        var change = await SendAsync(new Probe(new OrganizationCaller(Acme, "manager", ["billing-org-admin"]), ChangesBilling: true));

        Assert.That((read.Ran, change.Ran), Is.EqualTo((true, true)));
    }

    [Test]
    public async Task A_member_without_the_role_may_not_change_it()
    {
        Membership("reader", OrganizationMembership.Member);

        var (result, ran) = await SendAsync(new Probe(new OrganizationCaller(Acme, "reader", ["billing-admin"]), ChangesBilling: true));

        Assert.That(ran, Is.False);
        Assert.That((result.Error!.Kind, result.Error.Code), Is.EqualTo((ErrorKind.Forbidden, "organization_billing_role_required")));
    }

    [TestCase(OrganizationMembership.NotMember)]
    [TestCase(OrganizationMembership.UnknownOrganization)]
    public async Task A_stranger_finds_no_such_organization_whatever_their_roles(OrganizationMembership membership)
    {
        Membership("stranger", membership);

        var (result, ran) = await SendAsync(new Probe(new OrganizationCaller(Acme, "stranger", ["billing-org-admin"]), ChangesBilling: false));

        Assert.That(ran, Is.False);
        Assert.That((result.Error!.Kind, result.Error.Code), Is.EqualTo((ErrorKind.NotFound, "organization_not_found")));
    }

    [Test]
    public async Task An_id_that_is_no_keycloak_organization_id_is_not_found_without_asking_keycloak()
    {
        var (result, ran) = await SendAsync(new Probe(new OrganizationCaller("../users", "someone", []), ChangesBilling: false));

        Assert.That(ran, Is.False);
        Assert.That(result.Error!.Code, Is.EqualTo("organization_not_found"));
        _directory.VerifyNoOtherCalls();
    }

    [Test]
    public async Task A_request_for_the_callers_own_account_is_not_asked_about()
    {
        var (_, ran) = await SendAsync(new Probe(null, ChangesBilling: true));

        Assert.That(ran, Is.True);
        _directory.VerifyNoOtherCalls();
    }

    [Test]
    public async Task Keycloak_out_of_reach_fails_the_request_and_runs_nothing()
    {
        _directory.Setup(d => d.FindMembershipAsync(Acme, "reader", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<OrganizationMembership>.Failure(new Error(ErrorKind.UpstreamUnavailable, "keycloak_unreachable", "Keycloak could not be reached.")));

        var (result, ran) = await SendAsync(new Probe(new OrganizationCaller(Acme, "reader", []), ChangesBilling: false));

        Assert.That(ran, Is.False);
        Assert.That(result.Error!.Code, Is.EqualTo("keycloak_unreachable"));
    }

    [Test]
    public async Task Where_teams_are_not_billed_an_organization_request_is_refused_and_keycloak_not_asked()
    {
        var (result, ran) = await SendAsync(new Probe(new OrganizationCaller(Acme, "manager", ["billing-org-admin"]), ChangesBilling: false), enabled: false);

        Assert.That(ran, Is.False);
        Assert.That((result.Error!.Kind, result.Error.Code), Is.EqualTo((ErrorKind.NotConfigured, "organizations_not_enabled")));
        _directory.VerifyNoOtherCalls();
    }
}
