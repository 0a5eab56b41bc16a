namespace Billing.Infrastructure.Messaging;

/// <summary><c>Billing:ParkedDeliveries</c>: how often deliveries parked for a cause fixed elsewhere are looked at again.</summary>
internal sealed class ParkedDeliveryOptions
{
    public const string Section = "Billing:ParkedDeliveries";

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);
}
