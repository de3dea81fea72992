import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** A JSSE echo server for tlsprobe's tests: PKCS12 FILE [PROTOCOL]; prints its port. */
public class TlsServer {
    public static void main(String[] args) throws Exception {
        char[] password = "test".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(args[0])) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, password);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        if (args.length > 1) {
            server.setEnabledProtocols(new String[] {args[1]});
        }
        System.out.println(server.getLocalPort());
        System.out.flush();
        while (true) {
            SSLSocket c = (SSLSocket) server.accept();
            new Thread(() -> {
                try {
                    c.startHandshake();
                    InputStream in = c.getInputStream();
                    byte[] buf = new byte[4096];
                    int n = in.read(buf);
                    if (n > 0) {
                        c.getOutputStream().write(buf, 0, n);
                        c.getOutputStream().flush();
                    }
                    c.close();
                } catch (Exception e) {
                    try { c.close(); } catch (Exception ignored) { }
                }
            }).start();
        }
    }
}
