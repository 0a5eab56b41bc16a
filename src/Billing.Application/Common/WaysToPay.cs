namespace Billing.Application.Common;

/// <summary>
/// The ways to pay this service offers through Checkout, and the currencies Stripe lets each take: a card takes any;
/// a bank debit only its own (SEPA Direct Debit euros, ACH US dollars, Bacs pounds). Bank debits are "delayed
/// notification" methods: a payment takes days to succeed or fail.
/// </summary>
public static class WaysToPay
{
    public const string Card = "card";
    public const string SepaDebit = "sepa_debit";
    public const string UsBankAccount = "us_bank_account";
    public const string BacsDebit = "bacs_debit";

    private static readonly Dictionary<string, string?> CurrencyOf = new(StringComparer.Ordinal)
    {
        [Card] = null,
        [SepaDebit] = "eur",
        [UsBankAccount] = "usd",
        [BacsDebit] = "gbp",
    };

    public static IReadOnlyCollection<string> Known => CurrencyOf.Keys;

    public static bool IsKnown(string method) => CurrencyOf.ContainsKey(method);

    /// <summary>Whether Stripe lets <paramref name="method"/> take a payment in <paramref name="currency"/>.</summary>
    public static bool Takes(string method, string currency) =>
        CurrencyOf.TryGetValue(method, out var only) && (only is null || string.Equals(only, currency, StringComparison.OrdinalIgnoreCase));

    /// <summary>The one currency a bank debit takes; null for a card.</summary>
    public static string? OnlyCurrencyOf(string method) => CurrencyOf.GetValueOrDefault(method);
}
