using Refit;

namespace Billing.Infrastructure.Lago;

/// <summary>A metadata item; <see cref="Id"/> is the row's lago_id when it exists, since Lago matches by id and replaces all.</summary>
public sealed record LagoMetadata(string Key, string Value, bool DisplayInInvoice, string? Id = null);
