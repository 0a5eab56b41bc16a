namespace Billing.Application.Common.Ports;

public sealed record IdempotencyClaim(IdempotencyOutcome Outcome, int? StatusCode = null, string? ResponseBody = null);
