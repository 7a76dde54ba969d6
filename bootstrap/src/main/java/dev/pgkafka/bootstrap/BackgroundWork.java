package dev.pgkafka.bootstrap;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import dev.pgkafka.adapter.postgres.PostgresStorage;

/**
 * Use cases whose every call runs as background work of the storage (its database calls on the
 * background pool): what the HTTP admin API gets, so that its reads, however many, wait for the
 * background pool's connections and never for those of producers, consumers and coordinators.
 */
final class BackgroundWork {
    private BackgroundWork() {
    }

    static <T> T of(Class<T> useCase, T target, PostgresStorage storage) {
        return useCase.cast(Proxy.newProxyInstance(useCase.getClassLoader(), new Class<?>[] {useCase},
                (proxy, method, args) -> method.getDeclaringClass() == Object.class
                        ? method.invoke(target, args)
                        : storage.asBackgroundWork(() -> call(method, target, args))));
    }

    private static Object call(Method method, Object target, Object[] args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
