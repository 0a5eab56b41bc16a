namespace Billing.Infrastructure.Persistence.Records;

/// <summary>The first answer to a POST carrying an Idempotency-Key, replayed for retries of the same request.</summary>
internal sealed class IdempotencyRecord
{
    public required string UserId { get; init; }

    public required string Key { get; init; }

    public required string Operation { get; init; }

    public required string RequestHash { get; init; }

    public int? StatusCode { get; set; }

    public string? ResponseBody { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; set; }
}
