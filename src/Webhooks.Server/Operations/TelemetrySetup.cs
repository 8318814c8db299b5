using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Webhooks.Telemetry;

namespace Webhooks.Server.Operations;

/// <summary>
/// OpenTelemetry metrics and traces: the dispatcher's meter, Orleans' own meter and activity sources, ASP.NET Core,
/// outgoing HTTP and the runtime. Exported over OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (protocol, headers and service name from the other <c>OTEL_*</c> variables); otherwise collected but not sent.
/// </summary>
internal static class TelemetrySetup
{
    public static void AddWebhooksTelemetry(this WebApplicationBuilder builder)
    {
        var export = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("webhooks-orleans"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(WebhookMetrics.MeterName, "Microsoft.Orleans")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (export)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (export)
                {
                    tracing.AddOtlpExporter();
                }
            });
    }
}
