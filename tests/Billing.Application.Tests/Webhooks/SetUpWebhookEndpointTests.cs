using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Application.Webhooks.SetUp;
using Moq;

namespace Billing.Application.Tests.Webhooks;

/// <summary><c>webhooks setup</c>: create when missing, update what differs, nothing twice, a dry run changes nothing, a bad URL refused.</summary>
public sealed class SetUpWebhookEndpointTests
{
    private const string Url = "https://billing.example.com/api/v1/billing/webhooks/stripe";
    private Mock<IWebhookEndpointGateway> _gateway = null!;

    [SetUp]
    public void FreshMocks()
    {
        _gateway = new Mock<IWebhookEndpointGateway>();
        _gateway.SetupGet(g => g.PinnedApiVersion).Returns("2026-10-28.endive");
    }

    private void Listed(params GatewayWebhookEndpoint[] endpoints) =>
        _gateway.Setup(g => g.ListWebhookEndpointsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Result<IReadOnlyList<GatewayWebhookEndpoint>>.Success(endpoints));

    private static GatewayWebhookEndpoint Endpoint(string id, bool pinned = true, bool enabled = true, string[]? missing = null, string[]? extra = null) =>
        new(id, Url, enabled, pinned ? "2026-10-28.endive" : "2024-06-20", pinned, missing ?? [], extra ?? []);

    private SetUpWebhookEndpointHandler Handler() => new(_gateway.Object);

    [Test]
    public async Task Without_an_endpoint_one_is_created_and_its_secret_reported_and_a_dry_run_creates_nothing()
    {
        Listed();
        _gateway.Setup(g => g.CreateWebhookEndpointAsync(Url, It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewayWebhookEndpoint>.Success(Endpoint("we_1") with { Secret = "whsec_1" }));

        var dry = (await Handler().Handle(new SetUpWebhookEndpoint(Url, DryRun: true), default)).Value;
        _gateway.Verify(g => g.CreateWebhookEndpointAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        var created = (await Handler().Handle(new SetUpWebhookEndpoint(Url, DryRun: false), default)).Value;

        Assert.That(dry.Changes, Has.Count.EqualTo(1));
        Assert.That((created.EndpointId, created.SigningSecret), Is.EqualTo(("we_1", "whsec_1")));
    }

    [Test]
    public async Task An_endpoint_as_it_should_be_is_left_alone()
    {
        Listed(Endpoint("we_1"));

        var report = (await Handler().Handle(new SetUpWebhookEndpoint(Url, false), default)).Value;

        Assert.That(report.UpToDate, Is.True);
        _gateway.Verify(g => g.UpdateWebhookEndpointAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _gateway.Verify(g => g.CreateWebhookEndpointAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task Missing_or_extra_events_and_a_disabled_endpoint_are_updated_in_place()
    {
        Listed(Endpoint("we_1", enabled: false, missing: ["invoice.paid"], extra: ["balance.available"]));
        _gateway.Setup(g => g.UpdateWebhookEndpointAsync("we_1", It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewayWebhookEndpoint>.Success(Endpoint("we_1")));

        var report = (await Handler().Handle(new SetUpWebhookEndpoint(Url, false), default)).Value;

        Assert.That(report.Changes, Has.Count.EqualTo(3));
        Assert.That(report.SigningSecret, Is.Null);
        _gateway.Verify(g => g.UpdateWebhookEndpointAsync("we_1", It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task An_endpoint_in_another_api_version_gets_a_new_one_beside_it_and_is_named_for_deletion()
    {
        Listed(Endpoint("we_old", pinned: false));
        _gateway.Setup(g => g.CreateWebhookEndpointAsync(Url, It.IsAny<CancellationToken>())).ReturnsAsync(Result<GatewayWebhookEndpoint>.Success(Endpoint("we_new") with { Secret = "whsec_2" }));

        var report = (await Handler().Handle(new SetUpWebhookEndpoint(Url, false), default)).Value;

        Assert.That(report.EndpointId, Is.EqualTo("we_new"));
        Assert.That(report.ToDelete.Single(), Does.StartWith("we_old").And.Contain("2024-06-20"));
    }

    [TestCase(null)]
    [TestCase("http://billing.example.com/hook")]
    [TestCase("https://localhost:5001/api/v1/billing/webhooks/stripe")]
    [TestCase("not a url")]
    public void A_url_Stripe_could_not_reach_securely_is_refused(string? url)
    {
        var result = new SetUpWebhookEndpointValidator().Validate(new SetUpWebhookEndpoint(url, false));

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Errors.Single().PropertyName, Is.EqualTo("url"));
    }
}
