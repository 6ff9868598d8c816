using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using KernelNet.Kernel.Include.Linux;
using KernelNet.Tests.Support;
using Xunit;
using static KernelNet.Kernel.Include.Linux.skbuff_h;
using static KernelNet.Kernel.Net.Core.skbuff_c;

namespace KernelNet.Tests.Net.Core;

/// <summary>
/// skb->cb is 48 bytes that C copies with one memcpy (__copy_skb_header) and
/// clears with one memset. The port's typed control blocks name their fields
/// one by one in copy_to and in their memset methods, so a field added to a
/// block and left out of either would survive into a clone wrongly or leak
/// from one packet into the next one the reused skb carries. These tests walk
/// every field of every control block by reflection, so such a field fails here.
/// </summary>
public sealed class skb_cb_tests
{
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>Every control block type of the port: the classes that implement ISkbControlBlock.</summary>
    public static TheoryData<string> ControlBlocks() => new(ControlBlockTypes().Select(t => t.FullName!));

    /// <summary>Every memset method of a control block (an instance method named memset* without parameters), as "type::method".</summary>
    public static TheoryData<string> MemsetMethods() => new(MemsetMethodNames());

    [Fact]
    public void the_walk_finds_the_ports_control_blocks_and_their_memsets()
    {
        var names = ControlBlockTypes().Select(t => t.Name).ToList();
        Assert.Contains("inet_skb_parm", names);
        Assert.Contains("tcp_skb_cb", names);
        Assert.Contains("napi_gro_cb", names);
        Assert.Contains(MemsetMethodNames(), n => n.EndsWith(".tcp_skb_cb::memset_tcp", StringComparison.Ordinal));
        Assert.Contains(MemsetMethodNames(), n => n.EndsWith(".inet_skb_parm::memset_h4", StringComparison.Ordinal));
    }

    // net/core/skbuff.c: __copy_skb_header's memcpy of cb: the clone's block reads as the original's.
    [Theory]
    [MemberData(nameof(ControlBlocks))]
    public void copy_to_copies_every_field_of_the_control_block(string typeName)
    {
        var rig = new KernelRig();
        var type = ControlBlockTypes().Single(t => t.FullName == typeName);
        var from = alloc_skb(rig.K, 64)!;
        var to = alloc_skb(rig.K, 64)!;
        var block = (ISkbControlBlock)View(from, type);
        var written = FillEveryField(block, type);
        Assert.NotEmpty(written);

        var copy = block.copy_to(to);

        Assert.Same(View(to, type), copy);
        Assert.NotSame(block, copy);
        foreach (var f in written)
        {
            Assert.True(DeepEqual(f.GetValue(block), f.GetValue(copy), 3), $"{type.Name}.copy_to leaves {f.DeclaringType!.Name}.{Name(f)} out: the clone's block reads {Show(f.GetValue(copy))}, the original's {Show(f.GetValue(block))}");
        }

        consume_skb(from);
        consume_skb(to);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    // The memset of the block within skb->cb: every field the method's type declares reads as in a new block.
    [Theory]
    [MemberData(nameof(MemsetMethods))]
    public void memset_clears_every_field_its_block_declares(string typeAndMethod)
    {
        var rig = new KernelRig();
        var parts = typeAndMethod.Split("::");
        var type = ControlBlockTypes().Single(t => t.FullName == parts[0]);
        var method = type.GetMethod(parts[1], Declared, Type.EmptyTypes)!;
        var skb = alloc_skb(rig.K, 64)!;
        var block = View(skb, type);
        var fresh = Activator.CreateInstance(type, nonPublic: true)!;
        FillEveryField(block, type);

        method.Invoke(block, null);

        foreach (var f in type.GetFields(Declared))
        {
            Assert.True(DeepEqual(f.GetValue(fresh), f.GetValue(block), 3), $"{type.Name}.{method.Name} leaves {Name(f)} set: it reads {Show(f.GetValue(block))} where a new block has {Show(f.GetValue(fresh))}");
        }

        consume_skb(skb);
        Assert.Equal(0, rig.K.skb_ledger.Live);
    }

    private static IEnumerable<string> MemsetMethodNames() =>
        from t in ControlBlockTypes()
        from m in t.GetMethods(Declared)
        where m.Name.StartsWith("memset", StringComparison.Ordinal) && m.GetParameters().Length == 0
        select $"{t.FullName}::{m.Name}";

    private static IEnumerable<Type> ControlBlockTypes() =>
        typeof(ISkbControlBlock).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(ISkbControlBlock).IsAssignableFrom(t) && t.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    /// <summary>The skb's own block of <paramref name="type"/> (sk_buff.cb_view), as the cb casts take it.</summary>
    private static object View(sk_buff skb, Type type) =>
        typeof(sk_buff).GetMethod("cb_view", BindingFlags.Instance | BindingFlags.NonPublic)!.MakeGenericMethod(type).Invoke(skb, null)!;

    /// <summary>Writes a value that no new block holds into every field of <paramref name="type"/> and its bases; returns the fields written.</summary>
    private static List<FieldInfo> FillEveryField(object target, Type type)
    {
        var written = new List<FieldInfo>();
        var fresh = Activator.CreateInstance(type, nonPublic: true)!;
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var f in t.GetFields(Declared).Where(f => !f.IsInitOnly))
            {
                var v = Different(f.FieldType, f.GetValue(fresh), 0);
                Assert.True(v is not null, $"the test cannot make a value for {t.Name}.{f.Name} ({f.FieldType.Name}): teach skb_cb_tests.Different this type");
                f.SetValue(target, v);
                written.Add(f);
            }
        }

        return written;
    }

    /// <summary>A value of <paramref name="type"/> unlike <paramref name="unlike"/> (what a new block holds), or null if none can be made.</summary>
    private static object? Different(Type type, object? unlike, int depth)
    {
        if (type == typeof(bool))
        {
            return !(bool)(unlike ?? false);
        }

        if (type.IsEnum)
        {
            var u = Convert.ToUInt64(unlike ?? 0, System.Globalization.CultureInfo.InvariantCulture);
            return Enum.ToObject(type, u == 0x5A ? 0x5B : 0x5A);
        }

        if (type.IsPrimitive)
        {
            var u = Convert.ToDouble(unlike ?? 0, System.Globalization.CultureInfo.InvariantCulture);
            return Convert.ChangeType(u == 0x5A ? 0x5B : 0x5A, type, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (type == typeof(string))
        {
            return (string?)unlike == "cb" ? "cb2" : "cb";
        }

        if (type.IsArray)
        {
            var elem = type.GetElementType()!;
            var a = Array.CreateInstance(elem, 3);
            var e = Different(elem, elem.IsValueType ? Activator.CreateInstance(elem) : null, depth + 1);
            if (e is not null)
            {
                a.SetValue(e, 1);
            }

            return a;
        }

        if (depth > 2)
        {
            return null;
        }

        if (type.IsValueType)
        {
            var boxed = Activator.CreateInstance(type)!;
            var any = false;
            foreach (var f in type.GetFields(Declared))
            {
                var v = Different(f.FieldType, f.GetValue(boxed), depth + 1);
                if (v is not null)
                {
                    f.SetValue(boxed, v);
                    any = true;
                }
            }

            return any ? boxed : null;
        }

        if (type == typeof(sk_buff))
        {
            return RuntimeHelpers.GetUninitializedObject(typeof(sk_buff)); // a different skb: the block only points at it
        }

        if (type.IsClass && !type.IsAbstract)
        {
            var o = type.GetConstructor(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes) is not null
                ? Activator.CreateInstance(type, nonPublic: true)!
                : RuntimeHelpers.GetUninitializedObject(type);
            foreach (var f in type.GetFields(Declared).Where(f => f.FieldType.IsPrimitive))
            {
                f.SetValue(o, Different(f.FieldType, f.GetValue(o), depth + 1));
            }

            return o;
        }

        return null;
    }

    /// <summary>Equal as a memcpy leaves them: the same reference, or (for what a block copies deeply, such as its IP options) the same contents.</summary>
    private static bool DeepEqual(object? a, object? b, int depth)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a is null || b is null || a.GetType() != b.GetType())
        {
            return false;
        }

        var type = a.GetType();
        if (type.IsPrimitive || type.IsEnum || a is string)
        {
            return a.Equals(b);
        }

        if (a is IList la && b is IList lb)
        {
            return la.Count == lb.Count && Enumerable.Range(0, la.Count).All(i => DeepEqual(la[i], lb[i], depth - 1));
        }

        if (depth == 0 || type == typeof(sk_buff))
        {
            return false;
        }

        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var f in t.GetFields(Declared))
            {
                if (!DeepEqual(f.GetValue(a), f.GetValue(b), depth - 1))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The field's name as the port spells it: a property's, not its backing field's.</summary>
    private static string Name(FieldInfo f) =>
        f.Name.StartsWith('<') && f.Name.EndsWith(">k__BackingField", StringComparison.Ordinal) ? f.Name[1..f.Name.IndexOf('>', StringComparison.Ordinal)] : f.Name;

    private static string Show(object? v) => v switch
    {
        null => "null",
        Array a => $"{a.GetType().Name}[{a.Length}]",
        _ => v.ToString() ?? "?",
    };
}
