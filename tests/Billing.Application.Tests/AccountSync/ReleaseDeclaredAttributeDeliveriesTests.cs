using Billing.Application.AccountSync.Release;
using Billing.Application.Common.Messaging;
using Billing.Application.Ports;
using Moq;

namespace Billing.Application.Tests.AccountSync;

/// <summary>Deliveries parked for undeclared attributes go again once the realm declares them; Keycloak is asked only while some wait.</summary>
public sealed class ReleaseDeclaredAttributeDeliveriesTests
{
    private Mock<ISyncOutbox> _outbox = null!;
    private Mock<IIdentityDirectory> _directory = null!;
    private Mock<IOutboxSignal> _signal = null!;

    [SetUp]
    public void FreshMocks()
    {
        _outbox = new Mock<ISyncOutbox>();
        _directory = new Mock<IIdentityDirectory>();
        _signal = new Mock<IOutboxSignal>();
    }

    private ReleaseDeclaredAttributeDeliveriesHandler Handler() => new(_outbox.Object, _directory.Object, _signal.Object);

    private void Parked(int count) =>
        _outbox.Setup(o => o.CountParkedAsync(SyncTarget.IdentityDirectory, IdentityDeliveryFailures.AttributesUndeclared, It.IsAny<CancellationToken>())).ReturnsAsync(count);

    [Test]
    public async Task Once_the_realm_declares_them_the_parked_deliveries_go_again_and_the_relay_is_woken()
    {
        Parked(3);
        _directory.Setup(d => d.CheckAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new DirectoryHealth(true, []));
        _outbox.Setup(o => o.ReplayParkedAsync(SyncTarget.IdentityDirectory, IdentityDeliveryFailures.AttributesUndeclared, It.IsAny<CancellationToken>())).ReturnsAsync(3);

        var released = await Handler().Handle(new ReleaseDeclaredAttributeDeliveries(), default);

        Assert.That(released.Value, Is.EqualTo(3));
        _signal.Verify(s => s.Notify(), Times.Once);
    }

    [Test]
    public async Task While_some_are_still_undeclared_or_Keycloak_is_away_nothing_is_released()
    {
        Parked(3);
        _directory.SetupSequence(d => d.CheckAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DirectoryHealth(true, ["subscription_tier"]))
            .ReturnsAsync(new DirectoryHealth(false, []));

        var undeclared = await Handler().Handle(new ReleaseDeclaredAttributeDeliveries(), default);
        var away = await Handler().Handle(new ReleaseDeclaredAttributeDeliveries(), default);

        Assert.That((undeclared.Value, away.Value), Is.EqualTo((0, 0)));
        _outbox.Verify(o => o.ReplayParkedAsync(It.IsAny<SyncTarget>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        _signal.VerifyNoOtherCalls();
    }

    [Test]
    public async Task With_nothing_parked_Keycloak_is_not_asked()
    {
        Parked(0);

        var released = await Handler().Handle(new ReleaseDeclaredAttributeDeliveries(), default);

        Assert.That(released.Value, Is.Zero);
        _directory.VerifyNoOtherCalls();
    }
}
