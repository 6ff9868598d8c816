// Ports include/uapi/linux/snmp.h: the MIB counters /proc/net/snmp and
// /proc/net/netstat print, in the kernel's order (values are array indexes).
namespace KernelNet.Kernel.Include.Uapi.Linux;

/// <summary>The IPSTATS_MIB_* counters.</summary>
public enum ipstats_mib_field
{
    IPSTATS_MIB_NUM = 0,
    /// <summary>InReceives</summary>
    IPSTATS_MIB_INPKTS = 1,
    /// <summary>InOctets</summary>
    IPSTATS_MIB_INOCTETS = 2,
    /// <summary>InDelivers</summary>
    IPSTATS_MIB_INDELIVERS = 3,
    /// <summary>InNoECTPkts</summary>
    IPSTATS_MIB_NOECTPKTS = 4,
    /// <summary>InECT1Pkts</summary>
    IPSTATS_MIB_ECT1PKTS = 5,
    /// <summary>InECT0Pkts</summary>
    IPSTATS_MIB_ECT0PKTS = 6,
    /// <summary>InCEPkts</summary>
    IPSTATS_MIB_CEPKTS = 7,
    /// <summary>OutRequests</summary>
    IPSTATS_MIB_OUTREQUESTS = 8,
    /// <summary>OutTransmits</summary>
    IPSTATS_MIB_OUTPKTS = 9,
    /// <summary>OutOctets</summary>
    IPSTATS_MIB_OUTOCTETS = 10,
    /// <summary>OutForwDatagrams</summary>
    IPSTATS_MIB_OUTFORWDATAGRAMS = 11,
    /// <summary>InHdrErrors</summary>
    IPSTATS_MIB_INHDRERRORS = 12,
    /// <summary>InTooBigErrors</summary>
    IPSTATS_MIB_INTOOBIGERRORS = 13,
    /// <summary>InNoRoutes</summary>
    IPSTATS_MIB_INNOROUTES = 14,
    /// <summary>InAddrErrors</summary>
    IPSTATS_MIB_INADDRERRORS = 15,
    /// <summary>InUnknownProtos</summary>
    IPSTATS_MIB_INUNKNOWNPROTOS = 16,
    /// <summary>InTruncatedPkts</summary>
    IPSTATS_MIB_INTRUNCATEDPKTS = 17,
    /// <summary>InDiscards</summary>
    IPSTATS_MIB_INDISCARDS = 18,
    /// <summary>OutDiscards</summary>
    IPSTATS_MIB_OUTDISCARDS = 19,
    /// <summary>OutNoRoutes</summary>
    IPSTATS_MIB_OUTNOROUTES = 20,
    /// <summary>ReasmTimeout</summary>
    IPSTATS_MIB_REASMTIMEOUT = 21,
    /// <summary>ReasmReqds</summary>
    IPSTATS_MIB_REASMREQDS = 22,
    /// <summary>ReasmOKs</summary>
    IPSTATS_MIB_REASMOKS = 23,
    /// <summary>ReasmFails</summary>
    IPSTATS_MIB_REASMFAILS = 24,
    /// <summary>FragOKs</summary>
    IPSTATS_MIB_FRAGOKS = 25,
    /// <summary>FragFails</summary>
    IPSTATS_MIB_FRAGFAILS = 26,
    /// <summary>FragCreates</summary>
    IPSTATS_MIB_FRAGCREATES = 27,
    /// <summary>InMcastPkts</summary>
    IPSTATS_MIB_INMCASTPKTS = 28,
    /// <summary>OutMcastPkts</summary>
    IPSTATS_MIB_OUTMCASTPKTS = 29,
    /// <summary>InBcastPkts</summary>
    IPSTATS_MIB_INBCASTPKTS = 30,
    /// <summary>OutBcastPkts</summary>
    IPSTATS_MIB_OUTBCASTPKTS = 31,
    /// <summary>InMcastOctets</summary>
    IPSTATS_MIB_INMCASTOCTETS = 32,
    /// <summary>OutMcastOctets</summary>
    IPSTATS_MIB_OUTMCASTOCTETS = 33,
    /// <summary>InBcastOctets</summary>
    IPSTATS_MIB_INBCASTOCTETS = 34,
    /// <summary>OutBcastOctets</summary>
    IPSTATS_MIB_OUTBCASTOCTETS = 35,
    /// <summary>InCsumErrors</summary>
    IPSTATS_MIB_CSUMERRORS = 36,
    /// <summary>ReasmOverlaps</summary>
    IPSTATS_MIB_REASM_OVERLAPS = 37,
    __IPSTATS_MIB_MAX = 38,
}

/// <summary>The ICMP_MIB_* counters.</summary>
public enum icmp_mib_field
{
    ICMP_MIB_NUM = 0,
    /// <summary>InMsgs</summary>
    ICMP_MIB_INMSGS = 1,
    /// <summary>InErrors</summary>
    ICMP_MIB_INERRORS = 2,
    /// <summary>InDestUnreachs</summary>
    ICMP_MIB_INDESTUNREACHS = 3,
    /// <summary>InTimeExcds</summary>
    ICMP_MIB_INTIMEEXCDS = 4,
    /// <summary>InParmProbs</summary>
    ICMP_MIB_INPARMPROBS = 5,
    /// <summary>InSrcQuenchs</summary>
    ICMP_MIB_INSRCQUENCHS = 6,
    /// <summary>InRedirects</summary>
    ICMP_MIB_INREDIRECTS = 7,
    /// <summary>InEchos</summary>
    ICMP_MIB_INECHOS = 8,
    /// <summary>InEchoReps</summary>
    ICMP_MIB_INECHOREPS = 9,
    /// <summary>InTimestamps</summary>
    ICMP_MIB_INTIMESTAMPS = 10,
    /// <summary>InTimestampReps</summary>
    ICMP_MIB_INTIMESTAMPREPS = 11,
    /// <summary>InAddrMasks</summary>
    ICMP_MIB_INADDRMASKS = 12,
    /// <summary>InAddrMaskReps</summary>
    ICMP_MIB_INADDRMASKREPS = 13,
    /// <summary>OutMsgs</summary>
    ICMP_MIB_OUTMSGS = 14,
    /// <summary>OutErrors</summary>
    ICMP_MIB_OUTERRORS = 15,
    /// <summary>OutDestUnreachs</summary>
    ICMP_MIB_OUTDESTUNREACHS = 16,
    /// <summary>OutTimeExcds</summary>
    ICMP_MIB_OUTTIMEEXCDS = 17,
    /// <summary>OutParmProbs</summary>
    ICMP_MIB_OUTPARMPROBS = 18,
    /// <summary>OutSrcQuenchs</summary>
    ICMP_MIB_OUTSRCQUENCHS = 19,
    /// <summary>OutRedirects</summary>
    ICMP_MIB_OUTREDIRECTS = 20,
    /// <summary>OutEchos</summary>
    ICMP_MIB_OUTECHOS = 21,
    /// <summary>OutEchoReps</summary>
    ICMP_MIB_OUTECHOREPS = 22,
    /// <summary>OutTimestamps</summary>
    ICMP_MIB_OUTTIMESTAMPS = 23,
    /// <summary>OutTimestampReps</summary>
    ICMP_MIB_OUTTIMESTAMPREPS = 24,
    /// <summary>OutAddrMasks</summary>
    ICMP_MIB_OUTADDRMASKS = 25,
    /// <summary>OutAddrMaskReps</summary>
    ICMP_MIB_OUTADDRMASKREPS = 26,
    /// <summary>InCsumErrors</summary>
    ICMP_MIB_CSUMERRORS = 27,
    /// <summary>OutRateLimitGlobal</summary>
    ICMP_MIB_RATELIMITGLOBAL = 28,
    /// <summary>OutRateLimitHost</summary>
    ICMP_MIB_RATELIMITHOST = 29,
    __ICMP_MIB_MAX = 30,
}

/// <summary>The TCP_MIB_* counters.</summary>
public enum tcp_mib_field
{
    TCP_MIB_NUM = 0,
    /// <summary>RtoAlgorithm</summary>
    TCP_MIB_RTOALGORITHM = 1,
    /// <summary>RtoMin</summary>
    TCP_MIB_RTOMIN = 2,
    /// <summary>RtoMax</summary>
    TCP_MIB_RTOMAX = 3,
    /// <summary>MaxConn</summary>
    TCP_MIB_MAXCONN = 4,
    /// <summary>ActiveOpens</summary>
    TCP_MIB_ACTIVEOPENS = 5,
    /// <summary>PassiveOpens</summary>
    TCP_MIB_PASSIVEOPENS = 6,
    /// <summary>AttemptFails</summary>
    TCP_MIB_ATTEMPTFAILS = 7,
    /// <summary>EstabResets</summary>
    TCP_MIB_ESTABRESETS = 8,
    /// <summary>CurrEstab</summary>
    TCP_MIB_CURRESTAB = 9,
    /// <summary>InSegs</summary>
    TCP_MIB_INSEGS = 10,
    /// <summary>OutSegs</summary>
    TCP_MIB_OUTSEGS = 11,
    /// <summary>RetransSegs</summary>
    TCP_MIB_RETRANSSEGS = 12,
    /// <summary>InErrs</summary>
    TCP_MIB_INERRS = 13,
    /// <summary>OutRsts</summary>
    TCP_MIB_OUTRSTS = 14,
    /// <summary>InCsumErrors</summary>
    TCP_MIB_CSUMERRORS = 15,
    __TCP_MIB_MAX = 16,
}

/// <summary>The UDP_MIB_* counters.</summary>
public enum udp_mib_field
{
    UDP_MIB_NUM = 0,
    /// <summary>InDatagrams</summary>
    UDP_MIB_INDATAGRAMS = 1,
    /// <summary>NoPorts</summary>
    UDP_MIB_NOPORTS = 2,
    /// <summary>InErrors</summary>
    UDP_MIB_INERRORS = 3,
    /// <summary>OutDatagrams</summary>
    UDP_MIB_OUTDATAGRAMS = 4,
    /// <summary>RcvbufErrors</summary>
    UDP_MIB_RCVBUFERRORS = 5,
    /// <summary>SndbufErrors</summary>
    UDP_MIB_SNDBUFERRORS = 6,
    /// <summary>InCsumErrors</summary>
    UDP_MIB_CSUMERRORS = 7,
    /// <summary>IgnoredMulti</summary>
    UDP_MIB_IGNOREDMULTI = 8,
    /// <summary>MemErrors</summary>
    UDP_MIB_MEMERRORS = 9,
    __UDP_MIB_MAX = 10,
}

/// <summary>The LINUX_MIB_* counters.</summary>
public enum linux_mib_field
{
    LINUX_MIB_NUM = 0,
    /// <summary>SyncookiesSent</summary>
    LINUX_MIB_SYNCOOKIESSENT = 1,
    /// <summary>SyncookiesRecv</summary>
    LINUX_MIB_SYNCOOKIESRECV = 2,
    /// <summary>SyncookiesFailed</summary>
    LINUX_MIB_SYNCOOKIESFAILED = 3,
    /// <summary>EmbryonicRsts</summary>
    LINUX_MIB_EMBRYONICRSTS = 4,
    /// <summary>PruneCalled</summary>
    LINUX_MIB_PRUNECALLED = 5,
    /// <summary>RcvPruned</summary>
    LINUX_MIB_RCVPRUNED = 6,
    /// <summary>OfoPruned</summary>
    LINUX_MIB_OFOPRUNED = 7,
    /// <summary>OutOfWindowIcmps</summary>
    LINUX_MIB_OUTOFWINDOWICMPS = 8,
    /// <summary>LockDroppedIcmps</summary>
    LINUX_MIB_LOCKDROPPEDICMPS = 9,
    /// <summary>ArpFilter</summary>
    LINUX_MIB_ARPFILTER = 10,
    /// <summary>TimeWaited</summary>
    LINUX_MIB_TIMEWAITED = 11,
    /// <summary>TimeWaitRecycled</summary>
    LINUX_MIB_TIMEWAITRECYCLED = 12,
    /// <summary>TimeWaitKilled</summary>
    LINUX_MIB_TIMEWAITKILLED = 13,
    /// <summary>PAWSActiveRejected</summary>
    LINUX_MIB_PAWSACTIVEREJECTED = 14,
    /// <summary>PAWSEstabRejected</summary>
    LINUX_MIB_PAWSESTABREJECTED = 15,
    /// <summary>BeyondWindow</summary>
    LINUX_MIB_BEYOND_WINDOW = 16,
    /// <summary>TSEcrRejected</summary>
    LINUX_MIB_TSECRREJECTED = 17,
    /// <summary>PAWSOldAck</summary>
    LINUX_MIB_PAWS_OLD_ACK = 18,
    /// <summary>PAWSTimewait</summary>
    LINUX_MIB_PAWS_TW_REJECTED = 19,
    /// <summary>DelayedACKs</summary>
    LINUX_MIB_DELAYEDACKS = 20,
    /// <summary>DelayedACKLocked</summary>
    LINUX_MIB_DELAYEDACKLOCKED = 21,
    /// <summary>DelayedACKLost</summary>
    LINUX_MIB_DELAYEDACKLOST = 22,
    /// <summary>ListenOverflows</summary>
    LINUX_MIB_LISTENOVERFLOWS = 23,
    /// <summary>ListenDrops</summary>
    LINUX_MIB_LISTENDROPS = 24,
    /// <summary>TCPHPHits</summary>
    LINUX_MIB_TCPHPHITS = 25,
    /// <summary>TCPPureAcks</summary>
    LINUX_MIB_TCPPUREACKS = 26,
    /// <summary>TCPHPAcks</summary>
    LINUX_MIB_TCPHPACKS = 27,
    /// <summary>TCPRenoRecovery</summary>
    LINUX_MIB_TCPRENORECOVERY = 28,
    /// <summary>TCPSackRecovery</summary>
    LINUX_MIB_TCPSACKRECOVERY = 29,
    /// <summary>TCPSACKReneging</summary>
    LINUX_MIB_TCPSACKRENEGING = 30,
    /// <summary>TCPSACKReorder</summary>
    LINUX_MIB_TCPSACKREORDER = 31,
    /// <summary>TCPRenoReorder</summary>
    LINUX_MIB_TCPRENOREORDER = 32,
    /// <summary>TCPTSReorder</summary>
    LINUX_MIB_TCPTSREORDER = 33,
    /// <summary>TCPFullUndo</summary>
    LINUX_MIB_TCPFULLUNDO = 34,
    /// <summary>TCPPartialUndo</summary>
    LINUX_MIB_TCPPARTIALUNDO = 35,
    /// <summary>TCPDSACKUndo</summary>
    LINUX_MIB_TCPDSACKUNDO = 36,
    /// <summary>TCPLossUndo</summary>
    LINUX_MIB_TCPLOSSUNDO = 37,
    /// <summary>TCPLostRetransmit</summary>
    LINUX_MIB_TCPLOSTRETRANSMIT = 38,
    /// <summary>TCPRenoFailures</summary>
    LINUX_MIB_TCPRENOFAILURES = 39,
    /// <summary>TCPSackFailures</summary>
    LINUX_MIB_TCPSACKFAILURES = 40,
    /// <summary>TCPLossFailures</summary>
    LINUX_MIB_TCPLOSSFAILURES = 41,
    /// <summary>TCPFastRetrans</summary>
    LINUX_MIB_TCPFASTRETRANS = 42,
    /// <summary>TCPSlowStartRetrans</summary>
    LINUX_MIB_TCPSLOWSTARTRETRANS = 43,
    /// <summary>TCPTimeouts</summary>
    LINUX_MIB_TCPTIMEOUTS = 44,
    /// <summary>TCPLossProbes</summary>
    LINUX_MIB_TCPLOSSPROBES = 45,
    /// <summary>TCPLossProbeRecovery</summary>
    LINUX_MIB_TCPLOSSPROBERECOVERY = 46,
    /// <summary>TCPRenoRecoveryFail</summary>
    LINUX_MIB_TCPRENORECOVERYFAIL = 47,
    /// <summary>TCPSackRecoveryFail</summary>
    LINUX_MIB_TCPSACKRECOVERYFAIL = 48,
    /// <summary>TCPRcvCollapsed</summary>
    LINUX_MIB_TCPRCVCOLLAPSED = 49,
    /// <summary>TCPDSACKOldSent</summary>
    LINUX_MIB_TCPDSACKOLDSENT = 50,
    /// <summary>TCPDSACKOfoSent</summary>
    LINUX_MIB_TCPDSACKOFOSENT = 51,
    /// <summary>TCPDSACKRecv</summary>
    LINUX_MIB_TCPDSACKRECV = 52,
    /// <summary>TCPDSACKOfoRecv</summary>
    LINUX_MIB_TCPDSACKOFORECV = 53,
    /// <summary>TCPAbortOnData</summary>
    LINUX_MIB_TCPABORTONDATA = 54,
    /// <summary>TCPAbortOnClose</summary>
    LINUX_MIB_TCPABORTONCLOSE = 55,
    /// <summary>TCPAbortOnMemory</summary>
    LINUX_MIB_TCPABORTONMEMORY = 56,
    /// <summary>TCPAbortOnTimeout</summary>
    LINUX_MIB_TCPABORTONTIMEOUT = 57,
    /// <summary>TCPAbortOnLinger</summary>
    LINUX_MIB_TCPABORTONLINGER = 58,
    /// <summary>TCPAbortFailed</summary>
    LINUX_MIB_TCPABORTFAILED = 59,
    /// <summary>TCPMemoryPressures</summary>
    LINUX_MIB_TCPMEMORYPRESSURES = 60,
    /// <summary>TCPMemoryPressuresChrono</summary>
    LINUX_MIB_TCPMEMORYPRESSURESCHRONO = 61,
    /// <summary>TCPSACKDiscard</summary>
    LINUX_MIB_TCPSACKDISCARD = 62,
    /// <summary>TCPSACKIgnoredOld</summary>
    LINUX_MIB_TCPDSACKIGNOREDOLD = 63,
    /// <summary>TCPSACKIgnoredNoUndo</summary>
    LINUX_MIB_TCPDSACKIGNOREDNOUNDO = 64,
    /// <summary>TCPSpuriousRTOs</summary>
    LINUX_MIB_TCPSPURIOUSRTOS = 65,
    /// <summary>TCPMD5NotFound</summary>
    LINUX_MIB_TCPMD5NOTFOUND = 66,
    /// <summary>TCPMD5Unexpected</summary>
    LINUX_MIB_TCPMD5UNEXPECTED = 67,
    /// <summary>TCPMD5Failure</summary>
    LINUX_MIB_TCPMD5FAILURE = 68,
    LINUX_MIB_SACKSHIFTED = 69,
    LINUX_MIB_SACKMERGED = 70,
    LINUX_MIB_SACKSHIFTFALLBACK = 71,
    LINUX_MIB_TCPBACKLOGDROP = 72,
    LINUX_MIB_PFMEMALLOCDROP = 73,
    /// <summary>RFC 5082</summary>
    LINUX_MIB_TCPMINTTLDROP = 74,
    LINUX_MIB_TCPDEFERACCEPTDROP = 75,
    /// <summary>IP Reverse Path Filter (rp_filter)</summary>
    LINUX_MIB_IPRPFILTER = 76,
    /// <summary>TCPTimeWaitOverflow</summary>
    LINUX_MIB_TCPTIMEWAITOVERFLOW = 77,
    /// <summary>TCPReqQFullDoCookies</summary>
    LINUX_MIB_TCPREQQFULLDOCOOKIES = 78,
    /// <summary>TCPReqQFullDrop</summary>
    LINUX_MIB_TCPREQQFULLDROP = 79,
    /// <summary>TCPRetransFail</summary>
    LINUX_MIB_TCPRETRANSFAIL = 80,
    /// <summary>TCPRcvCoalesce</summary>
    LINUX_MIB_TCPRCVCOALESCE = 81,
    /// <summary>TCPBacklogCoalesce</summary>
    LINUX_MIB_TCPBACKLOGCOALESCE = 82,
    /// <summary>TCPOFOQueue</summary>
    LINUX_MIB_TCPOFOQUEUE = 83,
    /// <summary>TCPOFODrop</summary>
    LINUX_MIB_TCPOFODROP = 84,
    /// <summary>TCPOFOMerge</summary>
    LINUX_MIB_TCPOFOMERGE = 85,
    /// <summary>TCPChallengeACK</summary>
    LINUX_MIB_TCPCHALLENGEACK = 86,
    /// <summary>TCPSYNChallenge</summary>
    LINUX_MIB_TCPSYNCHALLENGE = 87,
    /// <summary>TCPFastOpenActive</summary>
    LINUX_MIB_TCPFASTOPENACTIVE = 88,
    /// <summary>TCPFastOpenActiveFail</summary>
    LINUX_MIB_TCPFASTOPENACTIVEFAIL = 89,
    /// <summary>TCPFastOpenPassive</summary>
    LINUX_MIB_TCPFASTOPENPASSIVE = 90,
    /// <summary>TCPFastOpenPassiveFail</summary>
    LINUX_MIB_TCPFASTOPENPASSIVEFAIL = 91,
    /// <summary>TCPFastOpenListenOverflow</summary>
    LINUX_MIB_TCPFASTOPENLISTENOVERFLOW = 92,
    /// <summary>TCPFastOpenCookieReqd</summary>
    LINUX_MIB_TCPFASTOPENCOOKIEREQD = 93,
    /// <summary>TCPFastOpenBlackholeDetect</summary>
    LINUX_MIB_TCPFASTOPENBLACKHOLE = 94,
    /// <summary>TCPSpuriousRtxHostQueues</summary>
    LINUX_MIB_TCPSPURIOUS_RTX_HOSTQUEUES = 95,
    /// <summary>BusyPollRxPackets</summary>
    LINUX_MIB_BUSYPOLLRXPACKETS = 96,
    /// <summary>TCPAutoCorking</summary>
    LINUX_MIB_TCPAUTOCORKING = 97,
    /// <summary>TCPFromZeroWindowAdv</summary>
    LINUX_MIB_TCPFROMZEROWINDOWADV = 98,
    /// <summary>TCPToZeroWindowAdv</summary>
    LINUX_MIB_TCPTOZEROWINDOWADV = 99,
    /// <summary>TCPWantZeroWindowAdv</summary>
    LINUX_MIB_TCPWANTZEROWINDOWADV = 100,
    /// <summary>TCPSynRetrans</summary>
    LINUX_MIB_TCPSYNRETRANS = 101,
    /// <summary>TCPOrigDataSent</summary>
    LINUX_MIB_TCPORIGDATASENT = 102,
    /// <summary>TCPHystartTrainDetect</summary>
    LINUX_MIB_TCPHYSTARTTRAINDETECT = 103,
    /// <summary>TCPHystartTrainCwnd</summary>
    LINUX_MIB_TCPHYSTARTTRAINCWND = 104,
    /// <summary>TCPHystartDelayDetect</summary>
    LINUX_MIB_TCPHYSTARTDELAYDETECT = 105,
    /// <summary>TCPHystartDelayCwnd</summary>
    LINUX_MIB_TCPHYSTARTDELAYCWND = 106,
    /// <summary>TCPACKSkippedSynRecv</summary>
    LINUX_MIB_TCPACKSKIPPEDSYNRECV = 107,
    /// <summary>TCPACKSkippedPAWS</summary>
    LINUX_MIB_TCPACKSKIPPEDPAWS = 108,
    /// <summary>TCPACKSkippedSeq</summary>
    LINUX_MIB_TCPACKSKIPPEDSEQ = 109,
    /// <summary>TCPACKSkippedFinWait2</summary>
    LINUX_MIB_TCPACKSKIPPEDFINWAIT2 = 110,
    /// <summary>TCPACKSkippedTimeWait</summary>
    LINUX_MIB_TCPACKSKIPPEDTIMEWAIT = 111,
    /// <summary>TCPACKSkippedChallenge</summary>
    LINUX_MIB_TCPACKSKIPPEDCHALLENGE = 112,
    /// <summary>TCPWinProbe</summary>
    LINUX_MIB_TCPWINPROBE = 113,
    /// <summary>TCPKeepAlive</summary>
    LINUX_MIB_TCPKEEPALIVE = 114,
    /// <summary>TCPMTUPFail</summary>
    LINUX_MIB_TCPMTUPFAIL = 115,
    /// <summary>TCPMTUPSuccess</summary>
    LINUX_MIB_TCPMTUPSUCCESS = 116,
    /// <summary>TCPDelivered</summary>
    LINUX_MIB_TCPDELIVERED = 117,
    /// <summary>TCPDeliveredCE</summary>
    LINUX_MIB_TCPDELIVEREDCE = 118,
    /// <summary>TCPAckCompressed</summary>
    LINUX_MIB_TCPACKCOMPRESSED = 119,
    /// <summary>TCPZeroWindowDrop</summary>
    LINUX_MIB_TCPZEROWINDOWDROP = 120,
    /// <summary>TCPRcvQDrop</summary>
    LINUX_MIB_TCPRCVQDROP = 121,
    /// <summary>TCPWqueueTooBig</summary>
    LINUX_MIB_TCPWQUEUETOOBIG = 122,
    /// <summary>TCPFastOpenPassiveAltKey</summary>
    LINUX_MIB_TCPFASTOPENPASSIVEALTKEY = 123,
    /// <summary>TCPTimeoutRehash</summary>
    LINUX_MIB_TCPTIMEOUTREHASH = 124,
    /// <summary>TCPDuplicateDataRehash</summary>
    LINUX_MIB_TCPDUPLICATEDATAREHASH = 125,
    /// <summary>TCPDSACKRecvSegs</summary>
    LINUX_MIB_TCPDSACKRECVSEGS = 126,
    /// <summary>TCPDSACKIgnoredDubious</summary>
    LINUX_MIB_TCPDSACKIGNOREDDUBIOUS = 127,
    /// <summary>TCPMigrateReqSuccess</summary>
    LINUX_MIB_TCPMIGRATEREQSUCCESS = 128,
    /// <summary>TCPMigrateReqFailure</summary>
    LINUX_MIB_TCPMIGRATEREQFAILURE = 129,
    /// <summary>TCPPLBRehash</summary>
    LINUX_MIB_TCPPLBREHASH = 130,
    /// <summary>TCPAORequired</summary>
    LINUX_MIB_TCPAOREQUIRED = 131,
    /// <summary>TCPAOBad</summary>
    LINUX_MIB_TCPAOBAD = 132,
    /// <summary>TCPAOKeyNotFound</summary>
    LINUX_MIB_TCPAOKEYNOTFOUND = 133,
    /// <summary>TCPAOGood</summary>
    LINUX_MIB_TCPAOGOOD = 134,
    /// <summary>TCPAODroppedIcmps</summary>
    LINUX_MIB_TCPAODROPPEDICMPS = 135,
    __LINUX_MIB_MAX = 136,
}
