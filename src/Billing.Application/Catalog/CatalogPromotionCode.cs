using Billing.Application.Common;
namespace Billing.Application.Catalog;

public sealed record CatalogPromotionCode(string Code, int? MaxRedemptions, DateTimeOffset? ExpiresAt, bool Active);
