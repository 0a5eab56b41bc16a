using Billing.Application.Common.Catalog;
using Billing.Domain.Plans;
using FluentValidation;

namespace Billing.Application.Common.Accounts;

/// <summary>The shared rules for a tier and billing cycle chosen by a user: both known, and priced together in the catalog.</summary>
public static class PlanChoiceRules
{
    public const int MaxCodeLength = 32;

    public static void ValidatePlanChoice<T>(this AbstractValidator<T> validator, PlanCatalog catalog, Func<T, string?> tier, string tierField, Func<T, string?> cycle)
    {
        ArgumentNullException.ThrowIfNull(validator);
        validator.RuleFor(x => tier(x))
            .NotEmpty().WithMessage($"{tierField} is required.").OverridePropertyName(tierField)
            .MaximumLength(MaxCodeLength).WithMessage($"{tierField} must be at most {MaxCodeLength} characters.")
            .Must(t => PlanCodes.TryParseTier(t, out var parsed) && catalog.Tiers.Any(x => x.Tier == parsed))
            .WithMessage(x => $"Unknown tier '{Shorten(tier(x))}'. Known tiers: {string.Join(", ", catalog.Tiers.Select(t => t.Tier.Code()))}.");
        validator.RuleFor(x => cycle(x))
            .NotEmpty().WithMessage("billing_cycle is required.").OverridePropertyName("billing_cycle")
            .MaximumLength(MaxCodeLength).WithMessage($"billing_cycle must be at most {MaxCodeLength} characters.")
            .Must(c => PlanCodes.TryParseCycle(c, out _)).WithMessage(x => $"Unknown billing cycle '{Shorten(cycle(x))}'. Use monthly or yearly.");
        validator.RuleFor(x => x)
            .Must(x => !PlanCodes.TryParseTier(tier(x), out var t) || !PlanCodes.TryParseCycle(cycle(x), out var c) || catalog.Find(t, c) is not null)
            .WithMessage(x => $"The {tier(x)} tier has no {cycle(x)} price.").OverridePropertyName("billing_cycle");
    }

    public static (Tier Tier, BillingCycle Cycle) Parse(string tier, string cycle)
    {
        return PlanCodes.TryParseTier(tier, out var t) && PlanCodes.TryParseCycle(cycle, out var c)
            ? (t, c)
            : throw new ArgumentException("The plan choice was not validated.");
    }

    private static string Shorten(string? value) => value is null ? string.Empty : value.Length > MaxCodeLength ? value[..MaxCodeLength] + "…" : value;
}
