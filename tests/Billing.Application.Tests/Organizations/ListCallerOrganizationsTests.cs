using Billing.Application.Common.Results;
using Billing.Application.Organizations.List;
using Billing.Application.Ports;
using Billing.Domain.Accounts;
using Billing.Domain.Plans;
using Moq;

namespace Billing.Application.Tests.Organizations;

/// <summary>The caller's teams, as Keycloak lists them, with what each subscribes here.</summary>
public sealed class ListCallerOrganizationsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task Each_team_shows_its_subscription_or_none_and_whether_the_caller_may_manage_it()
    {
        var directory = new Mock<IOrganizationDirectory>();
        var accounts = new Mock<IBillingAccountRepository>();
        directory.Setup(d => d.OrganizationsOfAsync("u1", It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<IReadOnlyList<OrganizationSummary>>.Success([new OrganizationSummary("acme", "Acme"), new OrganizationSummary("new", "Newco")]));
        var acme = BillingAccount.Open("org:acme", string.Empty, Now);
        acme.LinkStripeCustomer("cus_acme", Now);
        acme.ApplySubscription(new SubscriptionSnapshot("sub_acme", "cus_acme", SubscriptionStatus.Active, Tier.Professional, BillingCycle.Monthly, Now, Now.AddMonths(1), false, 14700, "usd", Seats: 3), Now);
        accounts.Setup(a => a.FindAsync("org:acme", It.IsAny<CancellationToken>())).ReturnsAsync(acme);
        var options = TestCatalog.Options();
        options.Value.Organizations.Enabled = true;

        var views = (await new ListCallerOrganizationsHandler(directory.Object, accounts.Object, options).Handle(new ListCallerOrganizations("u1", ["billing-org-admin"]), default)).Value;

        Assert.That(views, Is.EqualTo(new[]
        {
            new OrganizationView("acme", "Acme", "professional", "active", 3, true),
            new OrganizationView("new", "Newco", "trial", "none", null, true),
        }));
    }

    [Test]
    public async Task Where_teams_are_not_billed_the_list_is_refused()
    {
        var directory = new Mock<IOrganizationDirectory>();

        var result = await new ListCallerOrganizationsHandler(directory.Object, new Mock<IBillingAccountRepository>().Object, TestCatalog.Options()).Handle(new ListCallerOrganizations("u1", []), default);

        Assert.That(result.Error!.Code, Is.EqualTo("organizations_not_enabled"));
        directory.VerifyNoOtherCalls();
    }
}
