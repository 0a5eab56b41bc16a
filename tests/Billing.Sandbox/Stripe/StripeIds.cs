using System.Security.Cryptography;

namespace Billing.Sandbox.Stripe;

internal static class StripeIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string New(string prefix) => prefix + "_" + RandomNumberGenerator.GetString(Alphabet, 24);

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}

/// <summary>An answer in Stripe's shape: the object, or Stripe's error envelope.</summary>
public sealed record StripeReply(int Status, System.Text.Json.Nodes.JsonNode Body)
{
    public static StripeReply Ok(System.Text.Json.Nodes.JsonNode body) => new(200, body);

    public static StripeReply Error(int status, string type, string message, string? code = null, string? param = null, string? declineCode = null)
    {
        var error = new System.Text.Json.Nodes.JsonObject { ["type"] = type, ["message"] = message };
        if (code is not null)
        {
            error["code"] = code;
            error["doc_url"] = $"https://stripe.com/docs/error-codes/{code.Replace('_', '-')}";
        }

        if (param is not null)
        {
            error["param"] = param;
        }

        if (declineCode is not null)
        {
            error["decline_code"] = declineCode;
        }

        error["request_log_url"] = null;
        return new StripeReply(status, new System.Text.Json.Nodes.JsonObject { ["error"] = error });
    }

    public static StripeReply Missing(string param) =>
        Error(400, "invalid_request_error", $"Missing required param: {param}.", "parameter_missing", param);

    public static StripeReply NoSuch(string kind, string id, string param = "id") =>
        Error(404, "invalid_request_error", $"No such {kind}: '{id}'", "resource_missing", param);
}
