using Microsoft.Extensions.Configuration;

namespace Billing.Infrastructure.Configuration;

/// <summary>A setting that is missing or wrong; the message names it, never its value.</summary>
public sealed class SettingException(string setting, string problem)
    : Exception($"Configuration setting {setting} {problem}.")
{
    public string Setting { get; } = setting;
}
