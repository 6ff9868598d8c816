// Ports net/core/scm.c: ancillary data on receive (put_cmsg). Sending
// control messages (__scm_send: SCM_RIGHTS, SCM_CREDENTIALS) is not ported.
using KernelNet.Kernel.Include.Linux;
using static KernelNet.Kernel.Include.Linux.socket_h;

namespace KernelNet.Kernel.Net.Core;

public static class scm_c
{
    // net/core/scm.c: put_cmsg
    /// <summary>
    /// Appends one control message to the receiver's control buffer. With no
    /// buffer, or one too short for even a header, the message is lost and
    /// MSG_CTRUNC says so; one too short for the data is cut to what fits.
    /// </summary>
    public static int put_cmsg(msghdr msg, int level, int type, byte[] data)
    {
        // not ported: CMSG_DATA, CMSG_USER_DATA — the header and data are written into the msg_control buffer at their offsets
        var cmlen = cmsghdr.CMSG_LEN(data.Length);
        if (msg.msg_control is null || msg.msg_controllen < cmsghdr.Size)
        {
            msg.msg_flags |= MSG_CTRUNC;
            return 0;
        }

        if (msg.msg_controllen < cmlen)
        {
            msg.msg_flags |= MSG_CTRUNC;
            cmlen = msg.msg_controllen;
        }

        var kept = System.MemoryExtensions.AsSpan(data, 0, cmlen - cmsghdr.CMSG_ALIGN(cmsghdr.Size)).ToArray();
        msg.msg_control.Add(new cmsghdr(level, type, kept));
        msg.msg_controllen -= System.Math.Min(cmsghdr.CMSG_SPACE(data.Length), msg.msg_controllen);
        return 0;
    }
}
