using Billing.Application.Common;
namespace Billing.Application.Catalog;

/// <summary>A promotion code as configured: how often and until when it can be redeemed.</summary>
public sealed class PromotionCodeDefinition
{
    public int? MaxRedemptions { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public bool Active { get; set; } = true;
}
