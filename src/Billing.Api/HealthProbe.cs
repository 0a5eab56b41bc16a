namespace Billing.Api;

/// <summary>
/// <c>health</c>: asks the running service on this machine for <c>/health/live</c> and exits 0 when it answers 200,
/// 1 otherwise. The container's health check, since a chiseled image has no shell or curl. Runs before the host is
/// built, so a probe costs no more than one request.
/// </summary>
public static class HealthProbe
{
    public static bool IsProbe(string[] args) => args is ["health"];

    public static async Task<int> RunAsync(Uri? baseAddress = null)
    {
        var port = (Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? "8080").Split(';', ',')[0].Trim();
        using var http = new HttpClient { BaseAddress = baseAddress ?? new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync("health/live");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"health: the service did not answer ({e.GetType().Name}).");
            return 1;
        }
    }
}
