package dev.stasis.runtime.internal.snapshot.kryo;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** An IP socket address as its raw address bytes (4 or 16) and port: no name lookup when read. */
final class SocketAddresses {
    private SocketAddresses() {
    }

    static void write(Output output, InetSocketAddress address) {
        byte[] raw = address.getAddress().getAddress();
        output.writeByte(raw.length);
        output.writeBytes(raw);
        output.writeVarInt(address.getPort(), true);
    }

    static InetSocketAddress read(Input input) {
        int length = input.readByte();
        if (length != 4 && length != 16) {
            throw new KryoException("a socket address of " + length + " bytes: an IP address has 4 or 16");
        }
        byte[] raw = input.readBytes(length);
        int port = input.readVarInt(true);
        if (port > 0xFFFF) {
            throw new KryoException("port " + port + " is out of range");
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(raw), port);
        } catch (UnknownHostException e) {
            throw new KryoException(e); // getByAddress throws only for a wrong length, checked above
        }
    }
}
