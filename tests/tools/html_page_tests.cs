using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using KernelNet.Scenarios.Demos;
using KernelNet.Scenarios.Journey;
using KernelNet.Scenarios.Timeline;
using Microsoft.Playwright;
using Xunit;

namespace KernelNet.Tests.Tools;

/// <summary>--html writes one self-contained page; Chromium (through Playwright) renders its CPU tracks and journeys.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class HtmlPageTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public void the_page_is_self_contained_no_link_script_source_or_fetch_leaves_it()
    {
        var html = Page();

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("fetch(", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task chromium_renders_the_cpu_tracks_and_every_journey_and_a_click_highlights_one()
    {
        Skip.IfNot(File.Exists(Chromium), $"{Chromium} is missing (apt-get install -y chromium); the Playwright test is skipped");
        var model = Model();
        var expectedTracks = model.Slices.Select(s => (s.Host, s.Cpu)).Concat(model.Journeys.SelectMany(j => j.Marks.Select(m => (m.Host, m.Cpu)))).Distinct().Count();
        var path = Path.Combine(Path.GetTempPath(), $"kn-seeing-{Guid.NewGuid():N}.html");
        File.WriteAllText(path, Page());
        try
        {
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
            var page = await browser.NewPageAsync();
            var errors = new List<string>();
            var fetched = new List<string>();
            page.Console += (_, m) =>
            {
                if (m.Type is "error" or "warning")
                {
                    errors.Add($"{m.Type}: {m.Text}");
                }
            };
            page.PageError += (_, e) => errors.Add($"page error: {e}");
            await page.RouteAsync("**/*", async route =>
            {
                if (!route.Request.Url.StartsWith("file:", StringComparison.Ordinal))
                {
                    fetched.Add(route.Request.Url);
                    await route.AbortAsync();
                    return;
                }

                await route.ContinueAsync();
            });

            await page.GotoAsync(new Uri(path).AbsoluteUri);
            await page.WaitForSelectorAsync("body[data-ready='true']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });

            Assert.Equal(expectedTracks.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.GetAttributeAsync("#timeline", "data-tracks"));
            Assert.NotEqual("0", await page.GetAttributeAsync("#timeline", "data-drawn-slices"));
            var journeys = page.Locator(".journey");
            Assert.Equal(model.Journeys.Count, await journeys.CountAsync());
            Assert.Equal(model.Journeys[2].Journey.Skb, await journeys.Nth(2).GetAttributeAsync("data-skb"));

            await journeys.Nth(2).ClickAsync();
            Assert.Contains("selected", await journeys.Nth(2).GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
            Assert.Equal(1, await page.Locator(".journey.selected").CountAsync());
            Assert.StartsWith(model.Journeys[2].Journey.Skb + " ", await page.InnerTextAsync("#info"), StringComparison.Ordinal);

            Assert.Empty(errors);
            Assert.Empty(fetched);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static TimelineModel Model()
    {
        Assert.True(DemoCatalog.TryGet(DemoCatalog.Default, out var demo));
        var run = demo.Execute(new DemoOptions());
        return TimelineModel.Build([JourneySet.FromTrace(demo.Name, run.Trace, run.TaskHosts, run.IrqHosts)]);
    }

    private static string Page()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kn-seeing-{Guid.NewGuid():N}.html");
        try
        {
            var (code, _, err) = Cli.Run("run", "--no-trace", "--html", path);
            Assert.True(code == 0, err);
            return File.ReadAllText(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
