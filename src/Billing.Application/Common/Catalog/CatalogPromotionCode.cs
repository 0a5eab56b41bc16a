namespace Billing.Application.Common.Catalog;

public sealed record CatalogPromotionCode(string Code, int? MaxRedemptions, DateTimeOffset? ExpiresAt, bool Active);
