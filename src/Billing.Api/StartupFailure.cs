using System.Text.RegularExpressions;
using Billing.Application.Common;
using Microsoft.Extensions.Options;

namespace Billing.Api;

/// <summary>
/// Turns a failure to start that an operator can fix (a missing or malformed setting) into one line naming the
/// setting, never its value, and the process's exit code; anything else stays an ordinary crash with its trace.
/// </summary>
public static partial class StartupFailure
{
    /// <summary>The exit code of a start refused for its configuration (EX_CONFIG of sysexits.h).</summary>
    public const int ExitCode = 78;

    public static string? Describe(Exception exception) => exception switch
    {
        InvalidSettingException setting => setting.Message,
        OptionsValidationException invalid => "Configuration is invalid: " + string.Join(" ", invalid.Failures),
        InvalidOperationException { Message: var message } when FailedBinding().Match(message) is { Success: true } match =>
            $"Configuration setting {match.Groups["path"].Value} is not a valid {Friendly(match.Groups["type"].Value)}.",
        AggregateException { InnerExceptions: [var only] } => Describe(only),
        { InnerException: { } inner } => Describe(inner),
        _ => null,
    };

    /// <summary>Runs the service (or one of its commands), and on a configuration failure prints its one line.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        try
        {
            return await run();
        }
        catch (Exception e) when (Describe(e) is { } reason)
        {
            await Console.Error.WriteLineAsync($"The billing service cannot start: {reason}");
            return ExitCode;
        }
    }

    private static string Friendly(string type) => type switch
    {
        "System.TimeSpan" => "duration (for example 00:05:00 or 3.00:00:00)",
        "System.Int32" or "System.Int64" => "whole number",
        "System.Boolean" => "true or false",
        _ => type[(type.LastIndexOf('.') + 1)..],
    };

    [GeneratedRegex(@"at '(?<path>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex FailedBinding();
}
