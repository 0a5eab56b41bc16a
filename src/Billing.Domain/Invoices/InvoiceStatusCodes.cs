namespace Billing.Domain.Invoices;

/// <summary>An invoice status as the API and the store spell it: its name in lower case.</summary>
public static class InvoiceStatusCodes
{
    public static string Code(this InvoiceStatus status) => status.ToString().ToLowerInvariant();

    public static InvoiceStatus Parse(string code) =>
        Enum.TryParse<InvoiceStatus>(code, ignoreCase: true, out var status) && !int.TryParse(code, out _)
            ? status
            : throw new FormatException($"'{code}' is no invoice status.");
}
