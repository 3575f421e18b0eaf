using BuildHooks.Delivery.Dispatching;

namespace BuildHooks.Delivery.Tests.Dispatching;

public sealed class HookActivityTests
{
    [Fact]
    public void A_touch_wakes_every_watcher_of_that_hook_and_no_other()
    {
        var activity = new HookActivity();
        var first = activity.NextChangeAsync(1);
        var second = activity.NextChangeAsync(1);
        var other = activity.NextChangeAsync(2);

        activity.Touch(1);

        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.False(other.IsCompleted);
    }

    [Fact]
    public void A_change_taken_before_a_read_is_not_lost_but_an_old_touch_does_not_wake_a_new_wait()
    {
        var activity = new HookActivity();
        activity.Touch(7);
        Assert.False(activity.NextChangeAsync(7).IsCompleted);

        var pending = activity.NextChangeAsync(7);
        activity.Touch(7);
        Assert.True(pending.IsCompletedSuccessfully);
        Assert.False(activity.NextChangeAsync(7).IsCompleted);
    }
}
