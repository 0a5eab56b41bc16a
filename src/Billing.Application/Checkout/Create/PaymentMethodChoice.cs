using Billing.Application.Common;
using Billing.Application.Common.Results;

namespace Billing.Application.Checkout.Create;

/// <summary>
/// Which ways to pay a checkout offers, decided before Stripe is asked: the ones the caller named (each must be
/// offered here and take the checkout's currency), or else every configured one that takes it.
/// </summary>
public static class PaymentMethodChoice
{
    public const string Field = "payment_method_types";

    public static Result<IReadOnlyList<string>> For(IReadOnlyList<string>? asked, IReadOnlyList<string> offered, string currency)
    {
        if (asked is null)
        {
            var fitting = offered.Where(m => WaysToPay.Takes(m, currency)).ToList();
            return fitting.Count > 0
                ? fitting
                : Unavailable($"None of the ways to pay offered here ({string.Join(", ", offered)}) takes {currency.ToUpperInvariant()}; send a currency they take.");
        }

        var named = asked.Select(m => m.Trim().ToLowerInvariant()).Distinct().ToList();
        foreach (var method in named)
        {
            if (!offered.Contains(method))
            {
                return Unavailable($"{method} is not a way to pay offered here; the ways offered are {string.Join(", ", offered)}.");
            }

            if (!WaysToPay.Takes(method, currency))
            {
                return Unavailable($"{method} takes payments in {WaysToPay.OnlyCurrencyOf(method)!.ToUpperInvariant()} only, and this checkout is in {currency.ToUpperInvariant()}.");
            }
        }

        return named;
    }

    private static Error Unavailable(string detail) => Error.Invalid(Field, "payment_method_not_available", detail);
}
