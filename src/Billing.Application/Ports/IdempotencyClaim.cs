using Billing.Application.Common;
namespace Billing.Application.Ports;

public sealed record IdempotencyClaim(IdempotencyOutcome Outcome, int? StatusCode = null, string? ResponseBody = null);
