using System.Security.Cryptography;
using System.Text;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// Stripe accepts idempotency keys of at most 255 characters, and they travel in a header: a key built from a
/// user id or a caller's Idempotency-Key (any length, any characters) is kept as it is only when it is short
/// printable ASCII, and otherwise becomes its readable prefix and a SHA-256 of the whole, the same every time.
/// </summary>
internal static class StripeIdempotencyKey
{
    public const int MaxLength = 255;
    private const int PrefixLength = 64;

    public static string Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length <= MaxLength && key.All(IsPrintableAscii))
        {
            return key;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var prefix = new string(key.Take(PrefixLength).Where(IsPrintableAscii).ToArray());
        return $"{prefix}-{hash}";
    }

    private static bool IsPrintableAscii(char c) => c is >= '!' and <= '~';
}
