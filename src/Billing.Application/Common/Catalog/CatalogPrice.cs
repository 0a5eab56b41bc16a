using Billing.Domain.Plans;

namespace Billing.Application.Common.Catalog;

public sealed record CatalogPrice(Tier Tier, BillingCycle Cycle, string LookupKey, long UnitAmount, string Currency);
