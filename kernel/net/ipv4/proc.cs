// Ports net/ipv4/proc.c: /proc/net/snmp and /proc/net/netstat of a namespace,
// with the kernel's lists of (name, counter) in the kernel's order.
//
// not ported: /proc/net/sockstat.
using System;
using System.Globalization;
using System.Text;
using KernelNet.Kernel.Include.Net;
using KernelNet.Kernel.Include.Net.Netns;
using KernelNet.Kernel.Include.Uapi.Linux;

namespace KernelNet.Kernel.Net.Ipv4;

public static class proc_c
{
    private static ReadOnlySpan<(string Name, ipstats_mib_field Entry)> snmp4_ipstats_list => new[]
    {
        ("InReceives", ipstats_mib_field.IPSTATS_MIB_INPKTS),
        ("InHdrErrors", ipstats_mib_field.IPSTATS_MIB_INHDRERRORS),
        ("InAddrErrors", ipstats_mib_field.IPSTATS_MIB_INADDRERRORS),
        ("ForwDatagrams", ipstats_mib_field.IPSTATS_MIB_OUTFORWDATAGRAMS),
        ("InUnknownProtos", ipstats_mib_field.IPSTATS_MIB_INUNKNOWNPROTOS),
        ("InDiscards", ipstats_mib_field.IPSTATS_MIB_INDISCARDS),
        ("InDelivers", ipstats_mib_field.IPSTATS_MIB_INDELIVERS),
        ("OutRequests", ipstats_mib_field.IPSTATS_MIB_OUTREQUESTS),
        ("OutDiscards", ipstats_mib_field.IPSTATS_MIB_OUTDISCARDS),
        ("OutNoRoutes", ipstats_mib_field.IPSTATS_MIB_OUTNOROUTES),
        ("ReasmTimeout", ipstats_mib_field.IPSTATS_MIB_REASMTIMEOUT),
        ("ReasmReqds", ipstats_mib_field.IPSTATS_MIB_REASMREQDS),
        ("ReasmOKs", ipstats_mib_field.IPSTATS_MIB_REASMOKS),
        ("ReasmFails", ipstats_mib_field.IPSTATS_MIB_REASMFAILS),
        ("FragOKs", ipstats_mib_field.IPSTATS_MIB_FRAGOKS),
        ("FragFails", ipstats_mib_field.IPSTATS_MIB_FRAGFAILS),
        ("FragCreates", ipstats_mib_field.IPSTATS_MIB_FRAGCREATES),
        ("OutTransmits", ipstats_mib_field.IPSTATS_MIB_OUTPKTS),
    };

    private static ReadOnlySpan<(string Name, int Index)> icmpmibmap => new[]
    {
        ("DestUnreachs", 3),
        ("TimeExcds", 11),
        ("ParmProbs", 12),
        ("SrcQuenchs", 4),
        ("Redirects", 5),
        ("Echos", 8),
        ("EchoReps", 0),
        ("Timestamps", 13),
        ("TimestampReps", 14),
        ("AddrMasks", 17),
        ("AddrMaskReps", 18),
    };

    private static ReadOnlySpan<(string Name, tcp_mib_field Entry)> snmp4_tcp_list => new[]
    {
        ("RtoAlgorithm", tcp_mib_field.TCP_MIB_RTOALGORITHM),
        ("RtoMin", tcp_mib_field.TCP_MIB_RTOMIN),
        ("RtoMax", tcp_mib_field.TCP_MIB_RTOMAX),
        ("MaxConn", tcp_mib_field.TCP_MIB_MAXCONN),
        ("ActiveOpens", tcp_mib_field.TCP_MIB_ACTIVEOPENS),
        ("PassiveOpens", tcp_mib_field.TCP_MIB_PASSIVEOPENS),
        ("AttemptFails", tcp_mib_field.TCP_MIB_ATTEMPTFAILS),
        ("EstabResets", tcp_mib_field.TCP_MIB_ESTABRESETS),
        ("CurrEstab", tcp_mib_field.TCP_MIB_CURRESTAB),
        ("InSegs", tcp_mib_field.TCP_MIB_INSEGS),
        ("OutSegs", tcp_mib_field.TCP_MIB_OUTSEGS),
        ("RetransSegs", tcp_mib_field.TCP_MIB_RETRANSSEGS),
        ("InErrs", tcp_mib_field.TCP_MIB_INERRS),
        ("OutRsts", tcp_mib_field.TCP_MIB_OUTRSTS),
        ("InCsumErrors", tcp_mib_field.TCP_MIB_CSUMERRORS),
    };

    private static ReadOnlySpan<(string Name, udp_mib_field Entry)> snmp4_udp_list => new[]
    {
        ("InDatagrams", udp_mib_field.UDP_MIB_INDATAGRAMS),
        ("NoPorts", udp_mib_field.UDP_MIB_NOPORTS),
        ("InErrors", udp_mib_field.UDP_MIB_INERRORS),
        ("OutDatagrams", udp_mib_field.UDP_MIB_OUTDATAGRAMS),
        ("RcvbufErrors", udp_mib_field.UDP_MIB_RCVBUFERRORS),
        ("SndbufErrors", udp_mib_field.UDP_MIB_SNDBUFERRORS),
        ("InCsumErrors", udp_mib_field.UDP_MIB_CSUMERRORS),
        ("IgnoredMulti", udp_mib_field.UDP_MIB_IGNOREDMULTI),
        ("MemErrors", udp_mib_field.UDP_MIB_MEMERRORS),
    };

    private static ReadOnlySpan<(string Name, linux_mib_field Entry)> snmp4_net_list => new[]
    {
        ("SyncookiesSent", linux_mib_field.LINUX_MIB_SYNCOOKIESSENT),
        ("SyncookiesRecv", linux_mib_field.LINUX_MIB_SYNCOOKIESRECV),
        ("SyncookiesFailed", linux_mib_field.LINUX_MIB_SYNCOOKIESFAILED),
        ("EmbryonicRsts", linux_mib_field.LINUX_MIB_EMBRYONICRSTS),
        ("PruneCalled", linux_mib_field.LINUX_MIB_PRUNECALLED),
        ("RcvPruned", linux_mib_field.LINUX_MIB_RCVPRUNED),
        ("OfoPruned", linux_mib_field.LINUX_MIB_OFOPRUNED),
        ("OutOfWindowIcmps", linux_mib_field.LINUX_MIB_OUTOFWINDOWICMPS),
        ("LockDroppedIcmps", linux_mib_field.LINUX_MIB_LOCKDROPPEDICMPS),
        ("ArpFilter", linux_mib_field.LINUX_MIB_ARPFILTER),
        ("TW", linux_mib_field.LINUX_MIB_TIMEWAITED),
        ("TWRecycled", linux_mib_field.LINUX_MIB_TIMEWAITRECYCLED),
        ("TWKilled", linux_mib_field.LINUX_MIB_TIMEWAITKILLED),
        ("PAWSActive", linux_mib_field.LINUX_MIB_PAWSACTIVEREJECTED),
        ("PAWSEstab", linux_mib_field.LINUX_MIB_PAWSESTABREJECTED),
        ("BeyondWindow", linux_mib_field.LINUX_MIB_BEYOND_WINDOW),
        ("TSEcrRejected", linux_mib_field.LINUX_MIB_TSECRREJECTED),
        ("PAWSOldAck", linux_mib_field.LINUX_MIB_PAWS_OLD_ACK),
        ("PAWSTimewait", linux_mib_field.LINUX_MIB_PAWS_TW_REJECTED),
        ("DelayedACKs", linux_mib_field.LINUX_MIB_DELAYEDACKS),
        ("DelayedACKLocked", linux_mib_field.LINUX_MIB_DELAYEDACKLOCKED),
        ("DelayedACKLost", linux_mib_field.LINUX_MIB_DELAYEDACKLOST),
        ("ListenOverflows", linux_mib_field.LINUX_MIB_LISTENOVERFLOWS),
        ("ListenDrops", linux_mib_field.LINUX_MIB_LISTENDROPS),
        ("TCPHPHits", linux_mib_field.LINUX_MIB_TCPHPHITS),
        ("TCPPureAcks", linux_mib_field.LINUX_MIB_TCPPUREACKS),
        ("TCPHPAcks", linux_mib_field.LINUX_MIB_TCPHPACKS),
        ("TCPRenoRecovery", linux_mib_field.LINUX_MIB_TCPRENORECOVERY),
        ("TCPSackRecovery", linux_mib_field.LINUX_MIB_TCPSACKRECOVERY),
        ("TCPSACKReneging", linux_mib_field.LINUX_MIB_TCPSACKRENEGING),
        ("TCPSACKReorder", linux_mib_field.LINUX_MIB_TCPSACKREORDER),
        ("TCPRenoReorder", linux_mib_field.LINUX_MIB_TCPRENOREORDER),
        ("TCPTSReorder", linux_mib_field.LINUX_MIB_TCPTSREORDER),
        ("TCPFullUndo", linux_mib_field.LINUX_MIB_TCPFULLUNDO),
        ("TCPPartialUndo", linux_mib_field.LINUX_MIB_TCPPARTIALUNDO),
        ("TCPDSACKUndo", linux_mib_field.LINUX_MIB_TCPDSACKUNDO),
        ("TCPLossUndo", linux_mib_field.LINUX_MIB_TCPLOSSUNDO),
        ("TCPLostRetransmit", linux_mib_field.LINUX_MIB_TCPLOSTRETRANSMIT),
        ("TCPRenoFailures", linux_mib_field.LINUX_MIB_TCPRENOFAILURES),
        ("TCPSackFailures", linux_mib_field.LINUX_MIB_TCPSACKFAILURES),
        ("TCPLossFailures", linux_mib_field.LINUX_MIB_TCPLOSSFAILURES),
        ("TCPFastRetrans", linux_mib_field.LINUX_MIB_TCPFASTRETRANS),
        ("TCPSlowStartRetrans", linux_mib_field.LINUX_MIB_TCPSLOWSTARTRETRANS),
        ("TCPTimeouts", linux_mib_field.LINUX_MIB_TCPTIMEOUTS),
        ("TCPLossProbes", linux_mib_field.LINUX_MIB_TCPLOSSPROBES),
        ("TCPLossProbeRecovery", linux_mib_field.LINUX_MIB_TCPLOSSPROBERECOVERY),
        ("TCPRenoRecoveryFail", linux_mib_field.LINUX_MIB_TCPRENORECOVERYFAIL),
        ("TCPSackRecoveryFail", linux_mib_field.LINUX_MIB_TCPSACKRECOVERYFAIL),
        ("TCPRcvCollapsed", linux_mib_field.LINUX_MIB_TCPRCVCOLLAPSED),
        ("TCPBacklogCoalesce", linux_mib_field.LINUX_MIB_TCPBACKLOGCOALESCE),
        ("TCPDSACKOldSent", linux_mib_field.LINUX_MIB_TCPDSACKOLDSENT),
        ("TCPDSACKOfoSent", linux_mib_field.LINUX_MIB_TCPDSACKOFOSENT),
        ("TCPDSACKRecv", linux_mib_field.LINUX_MIB_TCPDSACKRECV),
        ("TCPDSACKOfoRecv", linux_mib_field.LINUX_MIB_TCPDSACKOFORECV),
        ("TCPAbortOnData", linux_mib_field.LINUX_MIB_TCPABORTONDATA),
        ("TCPAbortOnClose", linux_mib_field.LINUX_MIB_TCPABORTONCLOSE),
        ("TCPAbortOnMemory", linux_mib_field.LINUX_MIB_TCPABORTONMEMORY),
        ("TCPAbortOnTimeout", linux_mib_field.LINUX_MIB_TCPABORTONTIMEOUT),
        ("TCPAbortOnLinger", linux_mib_field.LINUX_MIB_TCPABORTONLINGER),
        ("TCPAbortFailed", linux_mib_field.LINUX_MIB_TCPABORTFAILED),
        ("TCPMemoryPressures", linux_mib_field.LINUX_MIB_TCPMEMORYPRESSURES),
        ("TCPMemoryPressuresChrono", linux_mib_field.LINUX_MIB_TCPMEMORYPRESSURESCHRONO),
        ("TCPSACKDiscard", linux_mib_field.LINUX_MIB_TCPSACKDISCARD),
        ("TCPDSACKIgnoredOld", linux_mib_field.LINUX_MIB_TCPDSACKIGNOREDOLD),
        ("TCPDSACKIgnoredNoUndo", linux_mib_field.LINUX_MIB_TCPDSACKIGNOREDNOUNDO),
        ("TCPSpuriousRTOs", linux_mib_field.LINUX_MIB_TCPSPURIOUSRTOS),
        ("TCPMD5NotFound", linux_mib_field.LINUX_MIB_TCPMD5NOTFOUND),
        ("TCPMD5Unexpected", linux_mib_field.LINUX_MIB_TCPMD5UNEXPECTED),
        ("TCPMD5Failure", linux_mib_field.LINUX_MIB_TCPMD5FAILURE),
        ("TCPSackShifted", linux_mib_field.LINUX_MIB_SACKSHIFTED),
        ("TCPSackMerged", linux_mib_field.LINUX_MIB_SACKMERGED),
        ("TCPSackShiftFallback", linux_mib_field.LINUX_MIB_SACKSHIFTFALLBACK),
        ("TCPBacklogDrop", linux_mib_field.LINUX_MIB_TCPBACKLOGDROP),
        ("PFMemallocDrop", linux_mib_field.LINUX_MIB_PFMEMALLOCDROP),
        ("TCPMinTTLDrop", linux_mib_field.LINUX_MIB_TCPMINTTLDROP),
        ("TCPDeferAcceptDrop", linux_mib_field.LINUX_MIB_TCPDEFERACCEPTDROP),
        ("IPReversePathFilter", linux_mib_field.LINUX_MIB_IPRPFILTER),
        ("TCPTimeWaitOverflow", linux_mib_field.LINUX_MIB_TCPTIMEWAITOVERFLOW),
        ("TCPReqQFullDoCookies", linux_mib_field.LINUX_MIB_TCPREQQFULLDOCOOKIES),
        ("TCPReqQFullDrop", linux_mib_field.LINUX_MIB_TCPREQQFULLDROP),
        ("TCPRetransFail", linux_mib_field.LINUX_MIB_TCPRETRANSFAIL),
        ("TCPRcvCoalesce", linux_mib_field.LINUX_MIB_TCPRCVCOALESCE),
        ("TCPOFOQueue", linux_mib_field.LINUX_MIB_TCPOFOQUEUE),
        ("TCPOFODrop", linux_mib_field.LINUX_MIB_TCPOFODROP),
        ("TCPOFOMerge", linux_mib_field.LINUX_MIB_TCPOFOMERGE),
        ("TCPChallengeACK", linux_mib_field.LINUX_MIB_TCPCHALLENGEACK),
        ("TCPSYNChallenge", linux_mib_field.LINUX_MIB_TCPSYNCHALLENGE),
        ("TCPFastOpenActive", linux_mib_field.LINUX_MIB_TCPFASTOPENACTIVE),
        ("TCPFastOpenActiveFail", linux_mib_field.LINUX_MIB_TCPFASTOPENACTIVEFAIL),
        ("TCPFastOpenPassive", linux_mib_field.LINUX_MIB_TCPFASTOPENPASSIVE),
        ("TCPFastOpenPassiveFail", linux_mib_field.LINUX_MIB_TCPFASTOPENPASSIVEFAIL),
        ("TCPFastOpenListenOverflow", linux_mib_field.LINUX_MIB_TCPFASTOPENLISTENOVERFLOW),
        ("TCPFastOpenCookieReqd", linux_mib_field.LINUX_MIB_TCPFASTOPENCOOKIEREQD),
        ("TCPFastOpenBlackhole", linux_mib_field.LINUX_MIB_TCPFASTOPENBLACKHOLE),
        ("TCPSpuriousRtxHostQueues", linux_mib_field.LINUX_MIB_TCPSPURIOUS_RTX_HOSTQUEUES),
        ("BusyPollRxPackets", linux_mib_field.LINUX_MIB_BUSYPOLLRXPACKETS),
        ("TCPAutoCorking", linux_mib_field.LINUX_MIB_TCPAUTOCORKING),
        ("TCPFromZeroWindowAdv", linux_mib_field.LINUX_MIB_TCPFROMZEROWINDOWADV),
        ("TCPToZeroWindowAdv", linux_mib_field.LINUX_MIB_TCPTOZEROWINDOWADV),
        ("TCPWantZeroWindowAdv", linux_mib_field.LINUX_MIB_TCPWANTZEROWINDOWADV),
        ("TCPSynRetrans", linux_mib_field.LINUX_MIB_TCPSYNRETRANS),
        ("TCPOrigDataSent", linux_mib_field.LINUX_MIB_TCPORIGDATASENT),
        ("TCPHystartTrainDetect", linux_mib_field.LINUX_MIB_TCPHYSTARTTRAINDETECT),
        ("TCPHystartTrainCwnd", linux_mib_field.LINUX_MIB_TCPHYSTARTTRAINCWND),
        ("TCPHystartDelayDetect", linux_mib_field.LINUX_MIB_TCPHYSTARTDELAYDETECT),
        ("TCPHystartDelayCwnd", linux_mib_field.LINUX_MIB_TCPHYSTARTDELAYCWND),
        ("TCPACKSkippedSynRecv", linux_mib_field.LINUX_MIB_TCPACKSKIPPEDSYNRECV),
        ("TCPACKSkippedPAWS", linux_mib_field.LINUX_MIB_TCPACKSKIPPEDPAWS),
        ("TCPACKSkippedSeq", linux_mib_field.LINUX_MIB_TCPACKSKIPPEDSEQ),
        ("TCPACKSkippedFinWait2", linux_mib_field.LINUX_MIB_TCPACKSKIPPEDFINWAIT2),
        ("TCPACKSkippedTimeWait", linux_mib_field.LINUX_MIB_TCPACKSKIPPEDTIMEWAIT),
        ("TCPACKSkippedChallenge", linux_mib_field.LINUX_MIB_TCPACKSKIPPEDCHALLENGE),
        ("TCPWinProbe", linux_mib_field.LINUX_MIB_TCPWINPROBE),
        ("TCPKeepAlive", linux_mib_field.LINUX_MIB_TCPKEEPALIVE),
        ("TCPMTUPFail", linux_mib_field.LINUX_MIB_TCPMTUPFAIL),
        ("TCPMTUPSuccess", linux_mib_field.LINUX_MIB_TCPMTUPSUCCESS),
        ("TCPDelivered", linux_mib_field.LINUX_MIB_TCPDELIVERED),
        ("TCPDeliveredCE", linux_mib_field.LINUX_MIB_TCPDELIVEREDCE),
        ("TCPAckCompressed", linux_mib_field.LINUX_MIB_TCPACKCOMPRESSED),
        ("TCPZeroWindowDrop", linux_mib_field.LINUX_MIB_TCPZEROWINDOWDROP),
        ("TCPRcvQDrop", linux_mib_field.LINUX_MIB_TCPRCVQDROP),
        ("TCPWqueueTooBig", linux_mib_field.LINUX_MIB_TCPWQUEUETOOBIG),
        ("TCPFastOpenPassiveAltKey", linux_mib_field.LINUX_MIB_TCPFASTOPENPASSIVEALTKEY),
        ("TcpTimeoutRehash", linux_mib_field.LINUX_MIB_TCPTIMEOUTREHASH),
        ("TcpDuplicateDataRehash", linux_mib_field.LINUX_MIB_TCPDUPLICATEDATAREHASH),
        ("TCPDSACKRecvSegs", linux_mib_field.LINUX_MIB_TCPDSACKRECVSEGS),
        ("TCPDSACKIgnoredDubious", linux_mib_field.LINUX_MIB_TCPDSACKIGNOREDDUBIOUS),
        ("TCPMigrateReqSuccess", linux_mib_field.LINUX_MIB_TCPMIGRATEREQSUCCESS),
        ("TCPMigrateReqFailure", linux_mib_field.LINUX_MIB_TCPMIGRATEREQFAILURE),
        ("TCPPLBRehash", linux_mib_field.LINUX_MIB_TCPPLBREHASH),
        ("TCPAORequired", linux_mib_field.LINUX_MIB_TCPAOREQUIRED),
        ("TCPAOBad", linux_mib_field.LINUX_MIB_TCPAOBAD),
        ("TCPAOKeyNotFound", linux_mib_field.LINUX_MIB_TCPAOKEYNOTFOUND),
        ("TCPAOGood", linux_mib_field.LINUX_MIB_TCPAOGOOD),
        ("TCPAODroppedIcmps", linux_mib_field.LINUX_MIB_TCPAODROPPEDICMPS),
    };

    private static ReadOnlySpan<(string Name, ipstats_mib_field Entry)> snmp4_ipextstats_list => new[]
    {
        ("InNoRoutes", ipstats_mib_field.IPSTATS_MIB_INNOROUTES),
        ("InTruncatedPkts", ipstats_mib_field.IPSTATS_MIB_INTRUNCATEDPKTS),
        ("InMcastPkts", ipstats_mib_field.IPSTATS_MIB_INMCASTPKTS),
        ("OutMcastPkts", ipstats_mib_field.IPSTATS_MIB_OUTMCASTPKTS),
        ("InBcastPkts", ipstats_mib_field.IPSTATS_MIB_INBCASTPKTS),
        ("OutBcastPkts", ipstats_mib_field.IPSTATS_MIB_OUTBCASTPKTS),
        ("InOctets", ipstats_mib_field.IPSTATS_MIB_INOCTETS),
        ("OutOctets", ipstats_mib_field.IPSTATS_MIB_OUTOCTETS),
        ("InMcastOctets", ipstats_mib_field.IPSTATS_MIB_INMCASTOCTETS),
        ("OutMcastOctets", ipstats_mib_field.IPSTATS_MIB_OUTMCASTOCTETS),
        ("InBcastOctets", ipstats_mib_field.IPSTATS_MIB_INBCASTOCTETS),
        ("OutBcastOctets", ipstats_mib_field.IPSTATS_MIB_OUTBCASTOCTETS),
        ("InCsumErrors", ipstats_mib_field.IPSTATS_MIB_CSUMERRORS),
        ("InNoECTPkts", ipstats_mib_field.IPSTATS_MIB_NOECTPKTS),
        ("InECT1Pkts", ipstats_mib_field.IPSTATS_MIB_ECT1PKTS),
        ("InECT0Pkts", ipstats_mib_field.IPSTATS_MIB_ECT0PKTS),
        ("InCEPkts", ipstats_mib_field.IPSTATS_MIB_CEPKTS),
        ("ReasmOverlaps", ipstats_mib_field.IPSTATS_MIB_REASM_OVERLAPS),
    };

    [KernelNet.Annotations.NotInLinux("formatting helper: seq_printf's %lu")]
    private static string U(long v) => v.ToString(CultureInfo.InvariantCulture);

    // net/ipv4/proc.c: icmpmsg_put_line
    private static void icmpmsg_put_line(StringBuilder seq, long[] vals, ushort[] type, int count)
    {
        if (count == 0)
        {
            return;
        }

        seq.Append("\nIcmpMsg:");
        for (var j = 0; j < count; ++j)
        {
            seq.Append(' ').Append((type[j] & 0x100) != 0 ? "OutType" : "InType").Append(U(type[j] & 0xff));
        }

        seq.Append("\nIcmpMsg:");
        for (var j = 0; j < count; ++j)
        {
            seq.Append(' ').Append(U(vals[j]));
        }
    }

    // net/ipv4/proc.c: icmpmsg_put
    /// <summary>The IcmpMsg lines: only the message types seen, at most 16 a line.</summary>
    private static void icmpmsg_put(StringBuilder seq, netns_mib mib)
    {
        const int PERLINE = 16;
        var type = new ushort[PERLINE];
        var vals = new long[PERLINE];
        var count = 0;
        for (var i = 0; i < mib.icmpmsg_statistics.Length; i++)
        {
            var val = mib.icmpmsg_statistics[i];
            if (val != 0)
            {
                type[count] = (ushort)i;
                vals[count++] = val;
            }

            if (count == PERLINE)
            {
                icmpmsg_put_line(seq, vals, type, count);
                count = 0;
            }
        }

        icmpmsg_put_line(seq, vals, type, count);
    }

    // net/ipv4/proc.c: icmp_put
    private static void icmp_put(StringBuilder seq, netns_mib mib)
    {
        // not ported: snmp_fold_field — the port keeps one copy of these counters or stats per namespace or object, not one per CPU or NUMA node: nothing to pick or fold
        var icmp = mib.icmp_statistics;
        seq.Append("\nIcmp: InMsgs InErrors InCsumErrors");
        foreach (var (name, _) in icmpmibmap)
        {
            seq.Append(" In").Append(name);
        }

        seq.Append(" OutMsgs OutErrors OutRateLimitGlobal OutRateLimitHost");
        foreach (var (name, _) in icmpmibmap)
        {
            seq.Append(" Out").Append(name);
        }

        seq.Append("\nIcmp: ").Append(U(icmp[(int)icmp_mib_field.ICMP_MIB_INMSGS])).Append(' ')
            .Append(U(icmp[(int)icmp_mib_field.ICMP_MIB_INERRORS])).Append(' ')
            .Append(U(icmp[(int)icmp_mib_field.ICMP_MIB_CSUMERRORS]));
        foreach (var (_, index) in icmpmibmap)
        {
            seq.Append(' ').Append(U(mib.icmpmsg_statistics[index]));
        }

        seq.Append(' ').Append(U(icmp[(int)icmp_mib_field.ICMP_MIB_OUTMSGS]))
            .Append(' ').Append(U(icmp[(int)icmp_mib_field.ICMP_MIB_OUTERRORS]))
            .Append(' ').Append(U(icmp[(int)icmp_mib_field.ICMP_MIB_RATELIMITGLOBAL]))
            .Append(' ').Append(U(icmp[(int)icmp_mib_field.ICMP_MIB_RATELIMITHOST]));
        foreach (var (_, index) in icmpmibmap)
        {
            seq.Append(' ').Append(U(mib.icmpmsg_statistics[index | 0x100]));
        }
    }

    // net/ipv4/proc.c: snmp_seq_show_ipstats
    private static void snmp_seq_show_ipstats(StringBuilder seq, netns_mib mib, bool forwarding, int default_ttl)
    {
        // not ported: IPV4_DEVCONF_ALL_RO — conf.all.forwarding is handed in (snmp_seq_show's caller reads it)
        // not ported: snmp_get_cpu_field64_batch_cnt — the port keeps one copy of these counters or stats per namespace or object, not one per CPU or NUMA node: nothing to pick or fold
        seq.Append("Ip: Forwarding DefaultTTL");
        foreach (var (name, _) in snmp4_ipstats_list)
        {
            seq.Append(' ').Append(name);
        }

        seq.Append("\nIp: ").Append(forwarding ? '1' : '2').Append(' ').Append(U(default_ttl));
        foreach (var (_, entry) in snmp4_ipstats_list)
        {
            seq.Append(' ').Append(U(mib.ip_statistics[(int)entry]));
        }
    }

    // net/ipv4/proc.c: snmp_seq_show_tcp_udp
    private static void snmp_seq_show_tcp_udp(StringBuilder seq, netns_mib mib)
    {
        // not ported: snmp_get_cpu_field_batch_cnt — the port keeps one copy of these counters or stats per namespace or object, not one per CPU or NUMA node: nothing to pick or fold
        seq.Append("\nTcp:");
        foreach (var (name, _) in snmp4_tcp_list)
        {
            seq.Append(' ').Append(name);
        }

        seq.Append("\nTcp:");
        foreach (var (_, entry) in snmp4_tcp_list)
        {
            seq.Append(' ').Append(U(mib.tcp_statistics[(int)entry]));
        }

        AppendUdp(seq, "Udp", mib.udp_statistics);
        AppendUdp(seq, "UdpLite", mib.udplite_statistics);
        seq.Append('\n');
    }

    [KernelNet.Annotations.NotInLinux("the shared Udp/UdpLite block of snmp_seq_show_tcp_udp, a loop in C")]
    private static void AppendUdp(StringBuilder seq, string title, long[] mib)
    {
        seq.Append("\n").Append(title).Append(':');
        foreach (var (name, _) in snmp4_udp_list)
        {
            seq.Append(' ').Append(name);
        }

        seq.Append("\n").Append(title).Append(':');
        foreach (var (_, entry) in snmp4_udp_list)
        {
            seq.Append(' ').Append(U(mib[(int)entry]));
        }
    }

    // net/ipv4/proc.c: snmp_seq_show
    /// <summary>/proc/net/snmp: Ip, Icmp, IcmpMsg (types seen only), Tcp, Udp, UdpLite.</summary>
    public static string snmp_seq_show(netns_mib mib, bool forwarding, int default_ttl)
    {
        var seq = new StringBuilder();
        snmp_seq_show_ipstats(seq, mib, forwarding, default_ttl);
        icmp_put(seq, mib);
        icmpmsg_put(seq, mib);
        snmp_seq_show_tcp_udp(seq, mib);
        return seq.ToString();
    }

    // net/ipv4/proc.c: netstat_seq_show
    /// <summary>/proc/net/netstat: TcpExt, IpExt, and MPTcpExt (all zero: no MPTCP here).</summary>
    public static string netstat_seq_show(netns_mib mib)
    {
        // not ported: kfree, kzalloc — the .NET runtime allocates and frees memory: objects live while referenced, no refcounts or caches
        // not ported: mptcp_seq_show — no MPTCP
        // not ported: snmp_fold_field, snmp_fold_field64, snmp_get_cpu_field64_batch_cnt, snmp_get_cpu_field_batch_cnt — the port keeps one copy of these counters or stats per namespace or object, not one per CPU or NUMA node: nothing to pick or fold
        var seq = new StringBuilder();
        seq.Append("TcpExt:");
        foreach (var (name, _) in snmp4_net_list)
        {
            seq.Append(' ').Append(name);
        }

        seq.Append("\nTcpExt:");
        foreach (var (_, entry) in snmp4_net_list)
        {
            seq.Append(' ').Append(U(mib.net_statistics[(int)entry]));
        }

        seq.Append("\nIpExt:");
        foreach (var (name, _) in snmp4_ipextstats_list)
        {
            seq.Append(' ').Append(name);
        }

        seq.Append("\nIpExt:");
        foreach (var (_, entry) in snmp4_ipextstats_list)
        {
            seq.Append(' ').Append(U(mib.ip_statistics[(int)entry]));
        }

        seq.Append('\n');
        mptcp_zero_counters(seq);
        return seq.ToString();
    }

    /// <summary>
    /// What net/mptcp/mib.c's mptcp_seq_show prints here: MPTCP is not ported, so its counters
    /// print as zeros, keeping the file's layout (names as the running 6.18.44
    /// prints them: v6.18.2's mib.c has one more, RcvPruned).
    /// </summary>
    [KernelNet.Annotations.NotInLinux("the MPTcpExt lines of netstat_seq_show (net/mptcp/mib.c's mptcp_seq_show), all zero: MPTCP is not ported")]
    private static void mptcp_zero_counters(StringBuilder seq)
    {
        const string names = "MPCapableSYNRX MPCapableSYNTX MPCapableSYNACKRX MPCapableACKRX MPCapableFallbackACK MPCapableFallbackSYNACK MPCapableSYNTXDrop MPCapableSYNTXDisabled MPCapableEndpAttempt MPFallbackTokenInit MPTCPRetrans MPJoinNoTokenFound MPJoinSynRx MPJoinSynBackupRx MPJoinSynAckRx MPJoinSynAckBackupRx MPJoinSynAckHMacFailure MPJoinAckRx MPJoinAckHMacFailure MPJoinRejected MPJoinSynTx MPJoinSynTxCreatSkErr MPJoinSynTxBindErr MPJoinSynTxConnectErr DSSNotMatching DSSCorruptionFallback DSSCorruptionReset InfiniteMapTx InfiniteMapRx DSSNoMatchTCP DataCsumErr OFOQueueTail OFOQueue OFOMerge NoDSSInWindow DuplicateData AddAddr AddAddrTx AddAddrTxDrop EchoAdd EchoAddTx EchoAddTxDrop PortAdd AddAddrDrop MPJoinPortSynRx MPJoinPortSynAckRx MPJoinPortAckRx MismatchPortSynRx MismatchPortAckRx RmAddr RmAddrDrop RmAddrTx RmAddrTxDrop RmSubflow MPPrioTx MPPrioRx MPFailTx MPFailRx MPFastcloseTx MPFastcloseRx MPRstTx MPRstRx SubflowStale SubflowRecover SndWndShared RcvWndShared RcvWndConflictUpdate RcvWndConflict MPCurrEstab Blackhole MPCapableDataFallback MD5SigFallback DssFallback SimultConnectFallback FallbackFailed WinProbe";
        seq.Append("MPTcpExt: ").Append(names).Append("\nMPTcpExt:");
        foreach (var _ in names.Split(' '))
        {
            seq.Append(" 0");
        }

        seq.Append('\n');
    }
}
