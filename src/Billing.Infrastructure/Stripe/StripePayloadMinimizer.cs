using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Billing.Infrastructure.Stripe;

/// <summary>
/// What of a Stripe event is kept: everything processing reads (ids, statuses, amounts, periods, metadata), and no
/// personal data: names, e-mail addresses, phone numbers, addresses and shipping details are removed wherever they
/// appear, and a card keeps only its brand and last four digits. Runs after the signature is verified on the raw
/// body, before the event is stored, in one forward pass over the body (no document is built: it runs on every
/// webhook, inside the request).
/// </summary>
internal static class StripePayloadMinimizer
{
    private static readonly HashSet<string> Personal = new(StringComparer.Ordinal)
    {
        "name", "email", "phone", "address", "shipping", "shipping_details", "billing_details", "customer_details",
        "customer_email", "customer_name", "customer_phone", "customer_address", "customer_shipping", "customer_tax_ids",
        "receipt_email", "tax_ids", "evidence",
    };

    private static readonly HashSet<string> CardKept = new(StringComparer.Ordinal) { "brand", "last4" };

    private static readonly JsonWriterOptions Compact = new() { SkipValidation = true };

    public static string Minimize(string payload)
    {
        var body = Encoding.UTF8.GetBytes(payload);
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return payload;
        }

        var output = new ArrayBufferWriter<byte>(body.Length);
        using (var writer = new Utf8JsonWriter(output, Compact))
        {
            writer.WriteStartObject();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                writer.WritePropertyName(name);
                reader.Read();

                // Only the event's data carries the customer's object; the envelope is Stripe's own.
                if (name == "data")
                {
                    Strip(ref reader, writer, body);
                }
                else
                {
                    Copy(ref reader, writer, body);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>Writes the value the reader is on without what is personal in it, and leaves the reader at its end.</summary>
    private static void Strip(ref Utf8JsonReader reader, Utf8JsonWriter writer, byte[] body)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                writer.WriteStartObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString()!;
                    reader.Read();
                    if (Personal.Contains(key))
                    {
                        reader.Skip();
                        continue;
                    }

                    writer.WritePropertyName(key);
                    if (key == "metadata")
                    {
                        // Metadata is the integrator's own (keycloak_user_id, tier): kept as written.
                        Copy(ref reader, writer, body);
                    }
                    else if (key == "card" && reader.TokenType == JsonTokenType.StartObject)
                    {
                        KeepCardIdentity(ref reader, writer, body);
                    }
                    else
                    {
                        Strip(ref reader, writer, body);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonTokenType.StartArray:
                writer.WriteStartArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Strip(ref reader, writer, body);
                }

                writer.WriteEndArray();
                break;
            default:
                Copy(ref reader, writer, body);
                break;
        }
    }

    private static void KeepCardIdentity(ref Utf8JsonReader reader, Utf8JsonWriter writer, byte[] body)
    {
        writer.WriteStartObject();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.GetString()!;
            reader.Read();
            if (CardKept.Contains(field))
            {
                writer.WritePropertyName(field);
                Copy(ref reader, writer, body);
            }
            else
            {
                reader.Skip();
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes the value the reader is on (a whole object or array included) exactly as it came.</summary>
    private static void Copy(ref Utf8JsonReader reader, Utf8JsonWriter writer, byte[] body)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        writer.WriteRawValue(body.AsSpan(start, (int)reader.BytesConsumed - start), skipInputValidation: true);
    }
}
