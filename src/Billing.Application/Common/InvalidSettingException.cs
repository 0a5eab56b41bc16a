namespace Billing.Application.Common;

/// <summary>
/// A setting that is missing or wrong, found when the service starts. The message names the setting and what is
/// wrong with it, never its value (which may be a secret); the start stops with that one line.
/// </summary>
public class InvalidSettingException(string setting, string problem) : Exception($"Configuration setting {setting} {problem}.")
{
    public string Setting { get; } = setting;
}
