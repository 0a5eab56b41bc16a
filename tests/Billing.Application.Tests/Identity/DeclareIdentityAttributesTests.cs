using Billing.Application.Common.Results;
using Billing.Application.Identity.DeclareAttributes;
using Billing.Application.Ports;
using Moq;

namespace Billing.Application.Tests.Identity;

/// <summary><c>keycloak setup</c>: reports what it declared (or would), up to date when nothing, and Keycloak's refusal as it came.</summary>
public sealed class DeclareIdentityAttributesTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task The_report_names_what_was_declared_and_whether_it_was_a_dry_run(bool dryRun)
    {
        var directory = new Mock<IIdentityDirectory>();
        directory.Setup(d => d.DeclareAttributesAsync(dryRun, It.IsAny<CancellationToken>())).ReturnsAsync(Result<AttributeDeclaration>.Success(new AttributeDeclaration(["subscription_tier", "subscription_status"])));

        var report = (await new DeclareIdentityAttributesHandler(directory.Object).Handle(new DeclareIdentityAttributes(dryRun), default)).Value;

        Assert.That(report.DryRun, Is.EqualTo(dryRun));
        Assert.That(report.Declared, Is.EqualTo(new[] { "subscription_tier", "subscription_status" }));
        Assert.That(report.UpToDate, Is.False);
    }

    [Test]
    public async Task A_second_run_declares_nothing_and_is_up_to_date()
    {
        var directory = new Mock<IIdentityDirectory>();
        directory.Setup(d => d.DeclareAttributesAsync(false, It.IsAny<CancellationToken>())).ReturnsAsync(Result<AttributeDeclaration>.Success(new AttributeDeclaration([])));

        var report = (await new DeclareIdentityAttributesHandler(directory.Object).Handle(new DeclareIdentityAttributes(false), default)).Value;

        Assert.That(report.UpToDate, Is.True);
    }

    [Test]
    public async Task Keycloaks_refusal_is_answered_as_it_came()
    {
        var directory = new Mock<IIdentityDirectory>();
        directory.Setup(d => d.DeclareAttributesAsync(false, It.IsAny<CancellationToken>()))
            .ReturnsAsync(Result<AttributeDeclaration>.Failure(new Error(ErrorKind.UpstreamUnavailable, "keycloak_forbidden", "The service account may not manage the realm.")));

        var result = await new DeclareIdentityAttributesHandler(directory.Object).Handle(new DeclareIdentityAttributes(false), default);

        Assert.That(result.Error!.Code, Is.EqualTo("keycloak_forbidden"));
    }

    [Test]
    public async Task A_realm_without_a_user_profile_has_nothing_to_declare_and_says_so()
    {
        var directory = new Mock<IIdentityDirectory>();
        directory.Setup(d => d.DeclareAttributesAsync(false, It.IsAny<CancellationToken>())).ReturnsAsync(Result<AttributeDeclaration>.Success(new AttributeDeclaration([], RealmKeepsAnyAttribute: true)));

        var report = (await new DeclareIdentityAttributesHandler(directory.Object).Handle(new DeclareIdentityAttributes(false), default)).Value;

        Assert.That(report.RealmKeepsAnyAttribute, Is.True);
        Assert.That(report.UpToDate, Is.True);
    }
}
